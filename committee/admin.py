from django.contrib import admin

from committee.accounts import AdminLoginForm
from committee.models import Committee, Membership, Party, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["person", "party", "role", "start", "end", "position"]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "municipality", "seats", "numbering"]
    list_filter = ["municipality", "numbering"]
    search_fields = ["name", "short_name", "municipality"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["secretaries"]
    inlines = [MembershipInline]


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
