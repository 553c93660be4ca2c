from django.urls import path

from minutes.views import adjustment, agenda, audit, draft, editor, meeting, protocol, secretariat, style
from minutes.views import exchange as exchange_views
from minutes.views import notice as notice_views

app_name = "minutes"

urlpatterns = [
    path("", secretariat.committee_list, name="committee-list"),
    path("namnd/<committee:slug>/", secretariat.meeting_list, name="meeting-list"),
    path("namnd/<committee:slug>/arkiv/", secretariat.committee_archive, name="committee-archive"),
    path("namnd/<committee:slug>/husstil/", style.style_edit, name="style-edit"),
    path("namnd/<committee:slug>/husstil/forhandsgranskning/", style.style_preview, name="style-preview"),
    path("namnd/<committee:slug>/husstil/husstil.json", style.style_export, name="style-export"),
    path("namnd/<committee:slug>/husstil/import/", style.style_import, name="style-import"),
    path("namnd/<committee:slug>/husstil/jamfor/", style.style_diff, name="style-diff"),
    path("namnd/<committee:slug>/husstil/dela/", style.style_share, name="style-share"),
    path("namnd/<committee:slug>/husstil/anvand/", style.style_use, name="style-use"),
    path("namnd/<committee:slug>/importera/", exchange_views.meeting_import, name="meeting-import"),
    path("namnd/<committee:slug>/kallelseregel/", notice_views.committee_notice_rule, name="committee-notice-rule"),
    path("sammantrade/<id:pk>/", secretariat.meeting_detail, name="meeting-detail"),
    path("sammantrade/<id:pk>/dagordning/", secretariat.agenda, name="agenda"),
    path("sammantrade/<id:pk>/foredragningslista/", agenda.agenda_page, name="agenda-page"),
    path("sammantrade/<id:pk>/foredragningslista/ny/", agenda.agenda_add, name="agenda-add"),
    path("sammantrade/<id:pk>/foredragningslista/atgard/", agenda.agenda_action, name="agenda-action"),
    path("sammantrade/<id:pk>/foredragningslista/<id:item_pk>/", agenda.agenda_item, name="agenda-item"),
    path("sammantrade/<id:pk>/handling/<id:document_pk>.pdf", agenda.agenda_document_file, name="agenda-document"),
    path("sammantrade/<id:pk>/kallelse/", notice_views.notice_page, name="notice"),
    path("sammantrade/<id:pk>/kallelse/atgard/", notice_views.notice_action, name="notice-action"),
    path("sammantrade/<id:pk>/kallelse.<str:fmt>", notice_views.notice_document, name="notice-document"),
    path("sammantrade/<id:pk>/narvaro/", meeting.attendance, name="attendance"),
    path("sammantrade/<id:pk>/uppgifter/", meeting.meeting_edit, name="meeting-edit"),
    path("sammantrade/<id:pk>/paragraf/<number:number>/", editor.item_edit, name="item-edit"),
    path("sammantrade/<id:pk>/paragraf/<number:number>/utkast/", draft.item_draft, name="item-draft"),
    path("sammantrade/<id:pk>/paragraf/<number:number>/forhandsgranskning/", draft.item_preview, name="item-preview"),
    path("sammantrade/<id:pk>/historik/", audit.audit_trail, name="audit-trail"),
    path("sammantrade/<id:pk>/paragraf/<number:number>/historik/", audit.audit_trail, name="item-audit-trail"),
    path("sammantrade/<id:pk>/protokoll.<str:fmt>", protocol.protocol_document, name="protocol-document"),
    path("sammantrade/<id:pk>/utskrift/<id:preview>/", protocol.preview_state, name="preview-state"),
    path(
        "sammantrade/<id:pk>/paragraf/<number:number>.<str:fmt>",
        protocol.protocol_document,
        {"kind": "item"},
        name="item-document",
    ),
    path(
        "sammantrade/<id:pk>/utdrag/<number:number>.<str:fmt>",
        protocol.protocol_document,
        {"kind": "extract"},
        name="extract-document",
    ),
    path("justering/", adjustment.my_adjustments, name="my-adjustments"),
    path("sammantrade/<id:pk>/justering/", adjustment.adjustment_page, name="adjustment"),
    path("sammantrade/<id:pk>/justering/atgard/", adjustment.adjustment_action, name="adjustment-action"),
    path("sammantrade/<id:pk>/arkiv/", adjustment.export_page, name="export"),
    path("sammantrade/<id:pk>/forsegling/", adjustment.sealing, name="sealing"),
    path("sammantrade/<id:pk>/forsegling/igen/", adjustment.sealing_retry, name="sealing-retry"),
    path("sammantrade/<id:pk>/utbyte.json", adjustment.exchange_file, name="exchange-file"),
]
