from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from committee.accounts import AdminLoginForm
from committee.models import Committee, HouseStyle, HouseStyleVersion, Membership, Party, Person
from minutes.protocol import housestyle


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["person", "party", "role", "start", "end", "position"]
    autocomplete_fields = ["person"]
    extra = 0


class CommitteeAdminForm(forms.ModelForm):
    preset = forms.ChoiceField(
        label=_("start from the preset"),
        required=False,
        help_text=_("A new committee without a house style gets its own copy of this preset."),
    )

    class Meta:
        model = Committee
        fields = [
            "name",
            "short_name",
            "slug",
            "municipality",
            "seats",
            "house_style",
            "body_noun",
            "numbering",
            "tense",
            "heading_decision",
            "heading_matter",
            "heading_motions",
            "heading_procedure",
            "heading_reservation",
            "heading_statement",
            "heading_minute_note",
            "protocol_kept_at",
            "secretaries",
            "clerks",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = housestyle.preset_names()
        self.fields["preset"].choices = [(name, housestyle.preset(name)["name"]) for name in names]
        self.fields["preset"].initial = housestyle.DEFAULT_PRESET


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    form = CommitteeAdminForm
    list_display = ["name", "short_name", "municipality", "seats", "numbering", "house_style"]
    list_filter = ["municipality", "numbering"]
    search_fields = ["name", "short_name", "municipality"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["secretaries"]
    inlines = [MembershipInline]

    def save_model(self, request, obj: Committee, form, change: bool) -> None:
        if not change and obj.house_style_id is None:
            from minutes.styles import create_from_preset

            preset = form.cleaned_data.get("preset") or housestyle.DEFAULT_PRESET
            obj.house_style = create_from_preset(preset, municipality=obj.municipality, by=request.user)
        super().save_model(request, obj, form, change)


class HouseStyleVersionInline(admin.TabularInline):
    model = HouseStyleVersion
    fields = ["number", "sha256", "created", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class HouseStyleAdminForm(forms.ModelForm):
    preset = forms.ChoiceField(label=_("start from the preset"), required=False)

    class Meta:
        model = HouseStyle
        fields = ["name", "municipality"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = housestyle.preset_names()
        self.fields["preset"].choices = [(name, housestyle.preset(name)["name"]) for name in names]
        self.fields["preset"].initial = housestyle.DEFAULT_PRESET


@admin.register(HouseStyle)
class HouseStyleAdmin(admin.ModelAdmin):
    """A new style starts from a preset; its wording is edited in the style editor, which validates it."""

    form = HouseStyleAdminForm
    list_display = ["name", "municipality", "version"]
    search_fields = ["name", "municipality"]
    inlines = [HouseStyleVersionInline]

    def get_fields(self, request, obj=None):
        return (
            ["name", "municipality", "preset"]
            if obj is None
            else ["name", "municipality", "version", "sha256", "document"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["version", "sha256", "document"]

    def save_model(self, request, obj: HouseStyle, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        document = housestyle.preset(form.cleaned_data.get("preset") or housestyle.DEFAULT_PRESET)
        obj.document, obj.version, obj.sha256 = document, 1, housestyle.digest(document)
        super().save_model(request, obj, form, change)
        HouseStyleVersion.objects.create(
            style=obj, number=1, document=document, sha256=obj.sha256, created_by=request.user
        )


@admin.register(HouseStyleVersion)
class HouseStyleVersionAdmin(admin.ModelAdmin):
    """Saved versions of house styles: written once, never changed."""

    list_display = ["style", "number", "created", "created_by"]
    list_filter = ["style"]
    list_select_related = ["style", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "name"]
    search_fields = ["abbreviation", "name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "user"]
    search_fields = ["first_name", "last_name"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "committee", "role", "party", "start", "end"]
    list_filter = ["committee", "role", "party"]
    list_select_related = ["person", "committee", "party"]
    search_fields = ["person__first_name", "person__last_name"]
    autocomplete_fields = ["person"]


# The admin's login counts failures like ours, and says so in Swedish when it refuses.
admin.site.login_form = AdminLoginForm
