from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schedule.forms import EntryForm
from schedule.models import Entry, Week, day_text


def may_revise(request):
    return request.user.has_perm("schedule.revise_published_week")


class EntryRowsFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        week = self.instance
        if not week.monday:
            return
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day and not week.monday <= day <= week.sunday and not self._should_delete_form(form):
                form.add_error(
                    "date",
                    _("The date must be in the week of %(first)s to %(last)s.")
                    % {"first": day_text(week.monday), "last": day_text(week.sunday)},
                )


class EntryInline(admin.TabularInline):
    """The week's entries as rows; attendees, notes and linked news on each entry's own page."""

    model = Entry
    formset = EntryRowsFormSet
    fields = ["date", "starts_at", "ends_at", "title", "place", "presiding", "is_event", "state"]
    readonly_fields = ["state"]
    show_change_link = True
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        # Once published, an entry is cancelled, never deleted: readers see what became of it.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_published)


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "entry_count", "published_at", "published_by"]
    list_filter = ["status"]
    list_select_related = ["published_by"]
    date_hierarchy = "monday"
    fields = ["monday", "note", "status", "published_at", "published_by"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [EntryInline]
    actions = ["publish", "copy_to_following"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("entries"), ordering="entry_count")
    def entry_count(self, week):
        return week.entry_count

    def get_readonly_fields(self, request, obj=None):
        # The entries' dates belong to the week: a week is never moved.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "monday"] if obj else fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        # A published week leaves readers' calendars only by a leader's decision.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.is_published or self.has_publish_permission(request)
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("schedule.publish_week")

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Entries of a published week are never deleted one by one (they are cancelled);
        # a leader deleting the whole week takes them with it.
        if self.has_publish_permission(request):
            perms_needed.discard(Entry._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_formset(self, request, form, formset, change):
        if formset.model is not Entry:
            return super().save_formset(request, form, formset, change)
        edited = [row.instance.pk for row in formset.forms if row.instance.pk and row.has_changed()]
        before = {
            entry.pk: entry.shown() for entry in Entry.objects.for_display().filter(pk__in=edited)
        }
        formset.save()
        for entry in formset.new_objects:
            entry.after_edit(None, user=request.user)
        for entry, _fields in formset.changed_objects:
            entry.after_edit(before[entry.pk], user=request.user)

    @admin.action(description=_("Publish the selected weeks"), permissions=["publish"])
    def publish(self, request, queryset):
        count = sum(week.publish(request.user) for week in queryset)
        self.message_user(
            request,
            ngettext(
                "%d week published: its entries are on the site.",
                "%d weeks published: their entries are on the site.",
                count,
            )
            % count,
        )

    @admin.action(description=_("Copy to the following week, as a draft"), permissions=["add"])
    def copy_to_following(self, request, queryset):
        for week in queryset.order_by("monday"):
            copy = week.copy_to_following()
            if copy is None:
                self.message_user(
                    request,
                    _("The week after %(week)s already has a calendar: nothing was copied.")
                    % {"week": week},
                    messages.WARNING,
                )
                continue
            self.message_user(
                request,
                format_html(
                    _("Copied as a draft: {link}."),
                    link=format_html(
                        '<a href="{}">{}</a>',
                        reverse("admin:schedule_week_change", args=[copy.pk]),
                        copy,
                    ),
                ),
            )


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ["date", "time_text", "title", "presiding", "state", "is_event", "week"]
    list_filter = ["state", "is_event", "week__status"]
    list_select_related = ["week", "presiding"]
    search_fields = ["title", "place", "notes", "other_attendees"]
    date_hierarchy = "date"
    autocomplete_fields = ["articles"]
    filter_horizontal = ["attendees", "attending_departments"]
    readonly_fields = ["state", "history"]

    def get_fieldsets(self, request, obj=None):
        published = obj is not None and obj.week.is_published
        return [
            (None, {"fields": ["week", "date", ("starts_at", "ends_at"), "title", "place"]}),
            (
                _("Who"),
                {
                    "fields": [
                        "presiding",
                        "attendees",
                        "attending_departments",
                        "other_attendees",
                        "preparing_department",
                    ]
                },
            ),
            (None, {"fields": ["notes", "is_event", "articles"]}),
            *(
                [
                    (
                        _("Changes after publication"),
                        {"fields": ["state", "cancelled", "change_note", "history"]},
                    )
                ]
                if published
                else []
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        # An entry stays in its week: moving it would take it off readers' calendar unseen.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "week"] if obj else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "week" in form.base_fields:
            weeks = Week.objects.all()
            if not may_revise(request):
                weeks = weeks.filter(status=Week.Status.DRAFT)
            form.base_fields["week"].queryset = weeks
        return form

    @admin.display(description=_("time"))
    def time_text(self, entry):
        return entry.time_text

    @admin.display(description=_("changes readers see"))
    def history(self, entry):
        changes = entry.changes.all()
        if not changes:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c.summary(),) for c in changes))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.week.editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.week.is_published
        )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Deleting from the list would take entries out of published weeks silently.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        form.shown_before = Entry.objects.get(pk=obj.pk).shown() if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        entry.after_edit(
            form.shown_before,
            cancelled=form.cleaned_data["cancelled"] if change else None,
            note=form.cleaned_data.get("change_note", ""),
            user=request.user,
        )
