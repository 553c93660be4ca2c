"""The house-style editor: the secretariat edits its committee's style, previews it on a meeting, saves versions.

The form posts every field of the style document under its dotted name ("sentences.motion.approve",
"headings.decision"); `posted_document` lays them over the current document, and
`housestyle.validate` decides. A style with a problem is never saved: each problem is shown at its
field. The preview renders a real meeting of the committee with the posted style, stored nowhere.
"""

import copy
import dataclasses
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from committee.models import Committee, HouseStyleVersion
from committee.permissions import serves_as_secretary
from minutes import adjustment, styles
from minutes.forms import posted_number
from minutes.models import Meeting
from minutes.protocol import adjusted, housestyle
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import HouseStyle as StyleData
from minutes.protocol.snapshot import build_snapshot

UPLOAD_LIMIT = 512 * 1024

# The plain fields of the document, with their Swedish labels, grouped as the page shows them.
WORD_GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("verbs", "Verbformer", housestyle.VERBS),
    ("headings", "Rubriker", housestyle.HEADINGS),
    ("terms", "Termer", housestyle.TERMS),
    ("first_page", "Första sidans rubriker", housestyle.FIRST_PAGE_WORDS),
    ("signatures", "Underskrifter", housestyle.SIGNATURE_WORDS),
    ("certificate", "Anslagsbevis", housestyle.CERTIFICATE_WORDS),
    ("notice", "Kallelsens ord", housestyle.NOTICE_WORDS),
]
# Help for the plain fields whose name does not say it all.
WORD_HELP = {
    "first_page.label_separator": "Tecknet efter en etikett på första sidan (: ger ”Plats och tid: …”; tomt ger "
    "”Plats och tid …”).",
    "first_page.roll_reference": "Står under Beslutande när uppropet har en egen sida (Se sid 2).",
    "signatures.heading": "Rubrik över underskrifterna (Underskrifter); tom: ingen rubrik.",
    "signatures.secretary_label": "Sekreterarens etikett (Vid protokollet, Sekreterare).",
    "signatures.chair_label": "Ordförandens etikett.",
    "signatures.adjuster_label": "Justerarnas etikett (Justerare, Justerande).",
    "certificate.heading": "Anslagsbevisets rubrik (ANSLAGSBEVIS, ANSLAG/BEVIS).",
    "certificate.sentence": "Meningen överst i anslagsbeviset.",
    "certificate.sealed_sentence": "Meningen i ett förseglat protokoll, innan anslaget är uppsatt.",
    "certificate.meeting_date_label": "Tom: raden skrivs inte ut (gäller alla etiketter i anslagsbeviset).",
    "certificate.appeal_label": "Sista dag för överklagande; tom: raden skrivs inte ut.",
    "certificate.posted_by_label": "Den som satt upp anslaget (Anslaget uppsatt av, Underskrift).",
    "certificate.signature_label": "Raden för underskrift i ett ännu inte anslaget protokoll.",
    "notice.heading": "Kallelsens rubrik, också i sidhuvudet (KALLELSE, KUNGÖRELSE).",
    "notice.time_label": "Etiketten för tiden (Tid).",
    "notice.place_label": "Etiketten för platsen (Plats).",
    "notice.secretary_label": "Etiketten för sekreteraren (Sekreterare).",
    "notice.agenda_heading": "Rubriken över ärendena (Föredragningslista, Ärenden); i textversionen med versaler.",
    "notice.agenda_missing": "Står när föredragningslistan ännu saknar ärenden.",
    "notice.presenters_label": "Etiketten för de tjänstepersoner som föredrar ett ärende (Föredragande).",
    "notice.preparing_label": "Etiketten för den som berett ärendet (Beredning, Beredande organ).",
    "notice.proposal_label": "Etiketten för förslaget till beslut.",
    "notice.confidential_document": "Står i stället för titeln på en sekretessbelagd handling.",
}
DESCRIPTIONS = {
    "motion.approve": "Yrkande om bifall till förslaget.",
    "motion.reject": "Yrkande om avslag.",
    "motion.approve_with_text": "Yrkande om bifall med egen text.",
    "motion.refer_back": "Yrkande om återremiss.",
    "motion.table": "Yrkande om bordläggning.",
    "motion.own_proposal": "Yrkande enligt eget förslag.",
    "motion.chair_proposal": "Ordförandeförslag: ordföranden yrkar enligt sitt eget förslag (texten skrivs ut under).",
    "motion_label.base": "Hur förslaget nämns i propositioner och omröstningar.",
    "motion_label.motion": "Hur ett yrkande nämns i propositioner och omröstningar.",
    "motion_label.chair_proposal": "Hur ordförandeförslaget nämns i propositioner och omröstningar.",
    "outcome.approve": "Beslutet när förslaget bifalls.",
    "outcome.reject": "Beslutet när avslagsyrkandet vinner.",
    "outcome.refer_back": "Beslutet vid återremiss.",
    "outcome.table": "Beslutet vid bordläggning.",
    "outcome.motion": "Beslutet när ett annat yrkande vinner.",
    "proposition.against_each_other": "Propositionen när yrkandena ställs mot varandra.",
    "proposition.single": "Propositionen på ett enda yrkande, bifallet eller avslaget (approved är då false).",
    "proposition.decide_today_or_refer": "Propositionen: avgöras i dag eller återremitteras.",
    "proposition.decide_today_or_table": "Propositionen: avgöras i dag eller bordläggas.",
    "vote": "Meningen om omröstningen och dess resultat.",
    "vote_question": "Frågan överst i voteringslistan.",
    "roll_call.member_label": "Voteringslistans kolumnrubrik för namnen (Ledamot).",
    "roll_call.vote_label": "Voteringslistans kolumnrubrik för rösterna (Röst).",
    "roll_call.choice": "En röst i listan: choice är yes, no, abstain eller absent (Ja, Nej, Avstår, Frånvarande).",
    "roll_call.sum_label": "Summaradens rubrik (Summa).",
    "roll_call.sum": "Summaraden (6 ja, 5 nej, 1 avstår).",
    "roll_call.reference": "Hänvisningen under Beslutsgång när voteringslistan ligger i en bilaga (roll_call omitted).",
    "recusal": "Jäv, med ersättare.",
    "reservation": "Reservation utan egen text.",
    "reservation.announced": "Reservation vars skriftliga text ligger i en bilaga.",
    "statement.announced": "Särskilt uttalande eller protokollsanteckning som bara anmäls; texten ligger i en bilaga.",
    "report": "Meningen om tjänsteutlåtandet under Ärendet.",
    "immediate_adjustment": "Omedelbar justering.",
    "label.paragraph": "Paragrafens beteckning (§ 17 eller §17).",
    "label.dnr": "Diarienumrets rad.",
    "label.party": "Partibeteckningen: (S) eller s.",
    "label.person": "En person i protokollet.",
    "label.possessive": "En person i genitiv (Peter Öbergs (L) yrkande).",
    "first_page.title": "Protokollets titel (PROTOKOLL Nr 9/2016, Sammanträdesprotokoll).",
    "first_page.time_span": "Tiden för sammanträdet (kl. 18.00–20.15).",
    "first_page.adjustment_time": "Justeringens tid.",
    "first_page.paragraph_range": "Paragraferna i protokollet (§§ 1–12).",
    "first_page.member": "En ledamot i uppropet (med ordförande- eller vice ordförandeuppdrag).",
    "first_page.substitute": "En tjänstgörande ersättare i uppropet (X för Y, X, ersättare för Y).",
    "opening.adjusters_title": "Rubriken på paragrafen om val av justerare.",
    "opening.adjustment_title": "Rubriken på paragrafen om justeringens tid och plats.",
    "opening.agenda_title": "Rubriken på paragrafen om föredragningslistan.",
    "opening.adjusters": "Beslutet om vilka som justerar.",
    "opening.adjustment": "Beslutet om när och var protokollet justeras.",
    "opening.agenda": "Beslutet om föredragningslistan, med ärenden som utgått eller tillkommit på sammanträdet.",
    "opening.missing_adjusters": "Står i stället för justerarna så länge ingen är utsedd.",
    "opening.missing_time": "Står i stället för tiden så länge den inte är bestämd.",
    "notice.title": "Raden under kallelsens rubrik (Sammanträde Nr 9/2016).",
    "notice.document_title": "Kallelsens titel i PDF-filen och webbläsaren.",
    "notice.time": "Sammanträdets tid i kallelsen; datum och klockslag följer husstilens datum- och tidsformat.",
    "notice.confidential": "Står under ett sekretessbelagt ärende i kallelsen i stället för förslag och handlingar. "
    "Diarienumret i kallelsen skrivs som label.dnr.",
}
SECTION_NAMES = {
    "decision": "Beslut",
    "matter": "Ärendet",
    "motions": "Förslag till beslut",
    "procedure": "Beslutsgång",
    "reservations": "Reservationer",
    "statements": "Särskilda uttalanden och protokollsanteckningar",
    "basis": "Beslutsunderlag",
    "prepared_proposal": "Det beredande organets förslag",
    "speakers": "Yttranden",
    "recipients": "Expedieras",
}
WORD_HELP |= {
    "headings.basis": "Rubriken över de handlingar beslutet grundas på (Beslutsunderlag, Underlag till beslut).",
    "headings.prepared_proposal": (
        "Rubriken över det beredande organets förslag (Kommunstyrelsens förslag till kommunfullmäktige)."
    ),
    "headings.speakers": "Rubriken över dem som yttrade sig i ärendet (Yttranden).",
    "headings.recipients": "Rubriken över dem som får beslutet (Expedieras, Exp. till).",
}
FIRST_PAGE_ROW_NAMES = {
    "place": "Plats och tid",
    "attendance": "Beslutande (uppropet, eller hänvisningen till dess sida)",
    "others": "Övriga närvarande",
    "adjusters": "Justerare",
    "adjustment": "Justeringens tid och plats",
    "paragraphs": "Paragrafer",
}
DNR_POSITIONS = {
    "matter": "Sist under Ärendet",
    "title": "Under paragrafens rubrik",
}

# The fields outside the groups, named as the page's labels name them; for the comparison of two styles.
GENERAL_LABELS = {
    "name": gettext_lazy("Name of the style"),
    "description": gettext_lazy("Description of the style"),
    "format": gettext_lazy("Format of the style file"),
    "body_noun": gettext_lazy("What the protocol calls the committee"),
    "tense": gettext_lazy("Tense"),
    "formats.date": gettext_lazy("Date format"),
    "formats.time": gettext_lazy("Time format"),
    "section_order": gettext_lazy("Order of a §'s sections"),
    "first_page_order": gettext_lazy("Order of the first page's rows"),
    "roll_call": gettext_lazy("The roll-call list of a vote"),
    "roll_placement": gettext_lazy("Where the roll stands"),
    "signature_layout": gettext_lazy("Signatures"),
    "certificate_placement": gettext_lazy("Announcement certificate"),
    "dnr_position": gettext_lazy("Where the Dnr stands"),
    "labels.conjunction": gettext_lazy("Word between the last two names"),
}
# The values of the choices as the page's menus name them.
VALUE_LABELS = {
    "tense": {
        "past": gettext_lazy("Past tense (yrkade, fann)"),
        "present": gettext_lazy("Present tense (yrkar, finner)"),
    },
    "formats.date": {"iso": "2012-08-29", "long": "den 29 augusti 2012", "weekday_long": "onsdag den 29 augusti 2012"},
    "formats.time": {"dot": "14.00", "colon": "14:00"},
    "roll_call": {
        "inline": gettext_lazy("In the protocol, under the procedure"),
        "omitted": gettext_lazy("Not in the protocol (it is in an appendix)"),
    },
    "roll_placement": {
        "first_page": gettext_lazy("On the first page"),
        "own_page": gettext_lazy("On a page of its own"),
    },
    "signature_layout": {"lines": gettext_lazy("A line per signer"), "columns": gettext_lazy("In columns")},
    "certificate_placement": {"first_page": gettext_lazy("On the first page"), "end": gettext_lazy("After the last §")},
    "dnr_position": DNR_POSITIONS,
}


def committee_for_staff(request: HttpRequest, slug: str) -> Committee:
    committee = get_object_or_404(Committee.objects.select_related("house_style"), slug=slug)
    if not serves_as_secretary(request.user, committee):
        raise PermissionDenied
    return committee


def posted_document(post, base: dict) -> dict:
    """`base` with every posted field laid over it, by the field's dotted name."""
    document = copy.deepcopy(base)
    for key in ("name", "body_noun", "tense"):
        if key in post:
            document[key] = post[key]
    for group, _label, names in WORD_GROUPS:
        for name in names:
            if f"{group}.{name}" in post:
                document.setdefault(group, {})[name] = post[f"{group}.{name}"]
    for kind in ("date", "time"):
        if f"formats.{kind}" in post:
            document.setdefault("formats", {})[kind] = post[f"formats.{kind}"]
    if "labels.conjunction" in post:
        document.setdefault("labels", {})["conjunction"] = post["labels.conjunction"]
    if "section_order" in post:
        document["section_order"] = [part.strip() for part in post["section_order"].split(",") if part.strip()]
    if "first_page_order" in post:
        document["first_page_order"] = [part.strip() for part in post["first_page_order"].split(",") if part.strip()]
    for choice in housestyle.CHOICES:
        if choice in post:
            document[choice] = post[choice]
    for name in housestyle.PLACEHOLDERS:
        if name in post:
            group, key = housestyle.template_path(name)
            document.setdefault(group, {})[key] = post[name].replace("\r\n", "\n")
    return document


def field_groups(document: dict, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The templates as the page lists them: by group, each with its text, placeholders and errors."""
    templates = housestyle.templates_of(document)
    groups: dict[str, dict[str, Any]] = {}
    for _prefix, label in housestyle.GROUPS:
        groups.setdefault(label, {"label": label, "fields": []})
    for name, placeholders in housestyle.PLACEHOLDERS.items():
        prefix = name.split(".")[0]
        label = dict(housestyle.GROUPS)[prefix]
        groups[label]["fields"].append(
            {
                "name": name,
                "id": "t-" + name.replace(".", "-"),
                "text": templates.get(name, ""),
                "description": DESCRIPTIONS.get(name, ""),
                "placeholders": sorted(placeholders) + ["body", "Body", "verbs.…", "terms.…"],
                "errors": errors.get(name, []),
            }
        )
    return [group for group in groups.values() if group["fields"]]


def word_groups(document: dict, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "fields": [
                {
                    "name": f"{group}.{name}",
                    "id": f"w-{group}-{name}",
                    "label": name,
                    "help": WORD_HELP.get(f"{group}.{name}", ""),
                    "value": document.get(group, {}).get(name, ""),
                    "errors": errors.get(f"{group}.{name}", []),
                }
                for name in names
            ],
        }
        for group, label, names in WORD_GROUPS
    ]


def preview_meeting(committee: Committee, request: HttpRequest) -> Meeting | None:
    """The meeting the preview prints: the one asked for, else the committee's latest with §§."""
    meetings = committee.meetings.filter(items__isnull=False).distinct().order_by("-date", "-number")
    asked = posted_number(request.GET, "meeting") or posted_number(request.POST, "meeting")
    if asked is not None:
        found = meetings.filter(pk=asked).first()
        if found is not None:
            return found
    return meetings.first()


def preview_html(meeting: Meeting | None, document: dict) -> str:
    """The meeting's whole protocol printed with `document`: first page, roll page, §§, signatures and
    anslagsbevis, with the signers and the notice's dates once it is announced. Nothing is stored."""
    if meeting is None:
        return ""
    snapshot = build_snapshot(meeting)
    snapshot = dataclasses.replace(snapshot, style=StyleData.from_document(document))
    signed, notice = adjustment.announced_facts(meeting) or (None, None)
    return render_html(snapshot, Request(kind="protocol", bare=True, adjustment=signed, notice=notice))


def adjusted_note(meeting: Meeting | None) -> str:
    """Above the preview of an adjusted meeting: its protocol prints with the style version it was adjusted
    with, whatever the preview shows ('' for a meeting not adjusted)."""
    if meeting is None or meeting.status not in adjusted.ADJUSTED:
        return ""
    version = adjusted.protocol_styles([meeting.pk])[meeting.pk].version
    if version is None:
        return _(
            "The protocol is adjusted and prints with the style it was adjusted with; "
            "the preview shows how this style would look."
        )
    return _(
        "The protocol is adjusted and prints with style version %(number)s; "
        "the preview shows how this style would look."
    ) % {"number": version}


def problems_by_field(problems: list[housestyle.Problem]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    return by_field


def page(
    request: HttpRequest, committee: Committee, document: dict, errors: dict[str, list[str]], *, status: int = 200
) -> HttpResponse:
    meeting = preview_meeting(committee, request)
    style = committee.house_style
    own = styles.edits(committee, style)
    shared = set(style.shared_with.all()) if own else set()
    context = {
        "own": own,
        # A committee shares the style it edits; one printing with a borrowed style has none to share.
        "neighbours": [(other, other in shared) for other in styles.neighbours(committee)] if own or not style else [],
        "usable": [s for s in styles.usable_styles(committee).select_related("owner") if s != style],
        "committee": committee,
        "style": style,
        "document": document,
        "groups": field_groups(document, errors),
        "words": word_groups(document, errors),
        "errors": errors,
        "section_order": ", ".join(document.get("section_order", [])),
        "section_names": SECTION_NAMES,
        "first_page_order": ", ".join(document.get("first_page_order", [])),
        "first_page_rows": FIRST_PAGE_ROW_NAMES,
        "date_formats": housestyle.DATE_FORMATS,
        "time_formats": housestyle.TIME_FORMATS,
        "roll_call": document.get("roll_call", "inline"),
        "choices": {key: document.get(key, values[0]) for key, values in housestyle.CHOICES.items()},
        "dnr_position": document.get("dnr_position", "matter"),
        "dnr_positions": DNR_POSITIONS,
        "meeting": meeting,
        "meetings": committee.meetings.filter(items__isnull=False).distinct().order_by("-date", "-number")[:20],
        "preview": preview_html(meeting, document) if not errors else "",
        "adjusted_note": adjusted_note(meeting),
        "versions": list(style.versions.order_by("-number")[:20]) if style else [],
        "presets": [(name, housestyle.preset(name)["name"]) for name in housestyle.preset_names()],
    }
    return render(request, "minutes/style_edit.html", context, status=status)


@login_required
def style_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The committee's house style: every template and word, with a live preview; saving adds a version."""
    committee = committee_for_staff(request, slug)
    current = styles.committee_document(committee)
    if request.method != "POST":
        return page(request, committee, current, {})
    document = posted_document(request.POST, current)
    problems = housestyle.validate(document)
    if problems:
        messages.error(request, _("The house style was not saved: correct the fields marked."))
        return page(request, committee, document, problems_by_field(problems), status=400)
    if not housestyle.diff(current, document):
        messages.info(request, _("No change: the style is already the same, so no version was added."))
        return redirect("minutes:style-edit", committee.slug)
    style = styles.own_style(committee, by=request.user)
    version = styles.save_style(style, document, by=request.user)
    messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
    return redirect("minutes:style-edit", committee.slug)


@login_required
@require_POST
def style_preview(request: HttpRequest, slug: str) -> JsonResponse:
    """The preview with the posted style, and each field's problems; nothing is stored."""
    committee = committee_for_staff(request, slug)
    document = posted_document(request.POST, styles.committee_document(committee))
    problems = housestyle.validate(document)
    if problems:
        return JsonResponse({"errors": problems_by_field(problems), "preview": ""})
    meeting = preview_meeting(committee, request)
    return JsonResponse({"errors": {}, "preview": preview_html(meeting, document), "note": adjusted_note(meeting)})


@login_required
def style_export(request: HttpRequest, slug: str) -> HttpResponse:
    committee = committee_for_staff(request, slug)
    response = HttpResponse(
        styles.export_text(styles.committee_document(committee)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="husstil-{committee.slug}.json"'
    return response


@login_required
@require_POST
def style_import(request: HttpRequest, slug: str) -> HttpResponse:
    """A style file or a preset replaces the style as a whole, as its next version, or nothing happens.

    A preset is applied only once confirmed: the page asking shows how many fields it changes. A file or
    preset equal to the style as it prints adds no version."""
    committee = committee_for_staff(request, slug)
    upload = request.FILES.get("file")
    preset = request.POST.get("preset", "")
    try:
        if preset:
            if preset not in housestyle.preset_names():
                raise styles.StyleInvalid([housestyle.Problem("$", "", _("Unknown preset."))])
            document = styles.checked(housestyle.preset(preset))
        elif upload is None or upload.size > UPLOAD_LIMIT:
            raise styles.StyleInvalid([housestyle.Problem("$", "", _("Choose a style file (JSON, at most 512 kB)."))])
        else:
            document = styles.parse(upload.read())
    except styles.StyleInvalid as error:
        context = {"committee": committee, "problems": error.problems}
        return render(request, "minutes/style_import_errors.html", context, status=400)
    current = styles.committee_document(committee)
    changes = housestyle.diff(current, document)
    if not changes:
        messages.info(request, _("No change: the style is already the same, so no version was added."))
        return redirect("minutes:style-edit", committee.slug)
    if preset and request.POST.get("confirm") != "yes":
        context = {
            "committee": committee,
            "preset": preset,
            "preset_name": document["name"],
            "current_name": current.get("name", ""),
            "changes": len(changes),
        }
        return render(request, "minutes/style_import_confirm.html", context)
    style = styles.own_style(committee, by=request.user)
    version = styles.save_style(style, document, by=request.user)
    messages.success(request, _("Imported as version %(number)s.") % {"number": version.number})
    return redirect("minutes:style-edit", committee.slug)


@login_required
@require_POST
def style_share(request: HttpRequest, slug: str) -> HttpResponse:
    """Let another committee of the municipality print with this committee's style, or stop letting it."""
    committee = committee_for_staff(request, slug)
    other = styles.neighbours(committee).filter(pk=posted_number(request.POST, "committee")).first()
    try:
        if other is None:
            raise styles.SharingRefused(_("Choose a committee of the same municipality."))
        if request.POST.get("action") == "unshare":
            styles.unshare_style(committee, other)
            messages.success(request, _("%(committee)s may no longer use the style.") % {"committee": other.name})
        else:
            styles.share_style(committee, other, by=request.user)
            messages.success(request, _("%(committee)s may now use the style.") % {"committee": other.name})
    except styles.SharingRefused as error:
        messages.error(request, str(error))
    return redirect("minutes:style-edit", committee.slug)


@login_required
@require_POST
def style_use(request: HttpRequest, slug: str) -> HttpResponse:
    """Print the committee's protocols with a style shared with it, or with another style of its own."""
    committee = committee_for_staff(request, slug)
    try:
        style = styles.use_style(committee, posted_number(request.POST, "style") or 0)
    except styles.SharingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The protocols now print with the style “%(name)s”.") % {"name": style.name})
    return redirect("minutes:style-edit", committee.slug)


def _document_of(committee: Committee, choice: str) -> tuple[str, dict] | None:
    """A document to compare: "v3" (a version of the committee's style), "preset:<name>" or "current"."""
    if choice == "current" or not choice:
        return _current_label(committee), styles.committee_document(committee)
    if choice.startswith("preset:") and choice.removeprefix("preset:") in housestyle.preset_names():
        document = housestyle.preset(choice.removeprefix("preset:"))
        return document["name"], document
    number = re.fullmatch(r"v([0-9]{1,9})", choice)
    if number and committee.house_style_id:
        version = HouseStyleVersion.objects.filter(style=committee.house_style, number=int(number[1])).first()
        if version is not None:
            return _("version %(number)s") % {"number": version.number}, version.document
    return None


def _current_label(committee: Committee) -> str:
    if committee.house_style_id:
        return _("current (version %(number)s)") % {"number": committee.house_style.version}
    return _("current")


WORD_GROUP_LABELS = {group: label for group, label, _names in WORD_GROUPS}
WORD_NAMES = {"first_page": housestyle.FIRST_PAGE_WORDS, "notice": housestyle.NOTICE_WORDS}


def field_label(key: str) -> tuple[str, str]:
    """A field of the flattened document ("sentences.motion.approve", "headings.decision") as the editor
    page names it, with the help the page gives it: ("Yrkanden: motion.approve", "Yrkande om bifall …")."""
    if key in GENERAL_LABELS:
        return str(GENERAL_LABELS[key]), ""
    group, _dot, name = key.partition(".")
    template = {"sentences": name, "labels": f"label.{name}", "opening": key}.get(group)
    if group in WORD_NAMES and name not in WORD_NAMES[group]:
        template = key
    if template in housestyle.PLACEHOLDERS:
        prefix = template.split(".")[0]
        return f"{dict(housestyle.GROUPS)[prefix]}: {template}", DESCRIPTIONS.get(template, "")
    if group in WORD_GROUP_LABELS:
        return f"{WORD_GROUP_LABELS[group]}: {name}", WORD_HELP.get(key, "")
    return key, ""


def value_label(key: str, value: str) -> str:
    """A value as the editor's menus and help name it: a choice by its label, an order by its Swedish parts."""
    if key in VALUE_LABELS:
        return str(VALUE_LABELS[key].get(value, value))
    names = {"section_order": SECTION_NAMES, "first_page_order": FIRST_PAGE_ROW_NAMES}.get(key)
    if names is not None and value:
        return ", ".join(names.get(part, part) for part in value.split(", "))
    return value


def readable_changes(changes: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    readable = []
    for key, before, after in changes:
        label, help_text = field_label(key)
        readable.append(
            {
                "key": key,
                "label": label,
                "help": help_text,
                "before": value_label(key, before),
                "after": value_label(key, after),
            }
        )
    return readable


@login_required
def style_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Two styles (versions of the committee's, or presets) as a list of what differs, named as the editor
    names the fields. By default the current style against the version before it (or the standard preset)."""
    committee = committee_for_staff(request, slug)
    version = committee.house_style.version if committee.house_style_id else 0
    a = request.GET.get("a") or (f"v{version - 1}" if version > 1 else f"preset:{housestyle.DEFAULT_PRESET}")
    b = request.GET.get("b") or "current"
    old = _document_of(committee, a)
    new = _document_of(committee, b)
    choices = [("current", _current_label(committee))]
    if committee.house_style_id:
        numbers = committee.house_style.versions.order_by("-number").values_list("number", flat=True)
        choices += [(f"v{n}", _("version %(number)s") % {"number": n}) for n in numbers]
    choices += [(f"preset:{name}", housestyle.preset(name)["name"]) for name in housestyle.preset_names()]
    itself = a == b or (a == "current" and b == f"v{version}") or (b == "current" and a == f"v{version}")
    context = {
        "committee": committee,
        "choices": choices,
        "a": a,
        "b": b,
        "old": old,
        "new": new,
        "itself": itself and old is not None,
        "changes": readable_changes(housestyle.diff(old[1], new[1])) if old and new and not itself else None,
    }
    return render(request, "minutes/style_diff.html", context, status=200 if old and new else 400)
