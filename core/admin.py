"""Admin pieces every app may use: the Vietnamese slug field, yes/no icons, tidy deletions,
and the workflow's pages (the change form's moves, bulk moves, the trash, revisions)."""

import reversion
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Concat
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import redirects, workflow
from core import revisions as core_revisions
from core.forms import RedirectForm
from core.models import FormerSlug, Redirect
from core.names import staff_name
from core.workflow import Action, Stage


class VietnameseSlugAdmin(admin.ModelAdmin):
    """An admin whose live slug field folds Vietnamese the way core.text.slugify_vi does.

    Django's own slug script turns "đ" into "dj" and drops other Vietnamese
    letters; ours folds the text first and must come after it.
    """

    class Media:
        js = ["admin/js/urlify.js", "admin/js/vietnamese_urlify.js"]


def yes_no(value):
    """Return Django's yes/no icon with a Vietnamese text for screen readers.

    Django's own boolean columns give the icon the alt text "True" or "False".
    """
    name, text = ("yes", _("Yes")) if value else ("no", _("No"))
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def _link_table_names():
    """Return the names Django gives its many-to-many link tables, in English only."""
    links = [
        model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created
    ]
    singular = {f"{capfirst(model._meta.verbose_name)}: " for model in links}
    return singular, {str(model._meta.verbose_name_plural) for model in links}


def _without_links(items, prefixes):
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without_links(item, prefixes))
        elif not str(item).startswith(tuple(prefixes)):
            kept.append(item)
    return kept


class WithoutLinkRowsMixin:
    """Leave many-to-many link rows out of the deletion summary.

    Deleting a user or a group removes their links to groups and permissions;
    Django lists each link by its English table name, which tells nobody anything.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        singular, plural = _link_table_names()
        counts = {name: count for name, count in counts.items() if str(name) not in plural}
        return _without_links(to_delete, singular), counts, perms_needed, protected


class StaffListFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter by staff member, each named family name first (core.names)."""

    def field_choices(self, field, request, model_admin):
        users = field.related_model._default_manager.filter(
            pk__in=model_admin.get_queryset(request).values(field.name)
        )
        return sorted(((user.pk, staff_name(user)) for user in users), key=lambda c: c[1])


# --- the workflow's admin: the same pages and rules for every workflowed model ------------


class StageFilter(admin.SimpleListFilter):
    title = _("workflow")
    parameter_name = "stage"
    MINE = "mine"  # the asker's own rows: a list that depends on who asks
    mine_label = _("Mine")

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in Stage if stage != Stage.TRASHED] + [
            (self.MINE, self.mine_label)
        ]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.filter(created_by=request.user)
        if self.value() in Stage.values:
            return queryset.at_stage(Stage(self.value()))
        return queryset


def move_selected(modeladmin, request, queryset, action, then=None):
    """Make one workflow move on each chosen row; report what was refused and why.

    then: a second move made with the first on each row it applies to (restoring a
    published row taken down), or neither.
    """
    moved = 0
    for item in queryset:
        try:
            with transaction.atomic():
                item = workflow.perform(item, action, request.user)
                if then is not None and item.stage in workflow.TRANSITIONS[then].sources:
                    workflow.perform(item, then, request.user)
        except (PermissionDenied, ValidationError) as error:
            reason = " ".join(getattr(error, "messages", None) or [str(error)])
            modeladmin.message_user(
                request,
                _("“%(title)s” was left as it was: %(reason)s") % {"title": item, "reason": reason},
                messages.WARNING,
            )
        else:
            moved += 1
    if moved:
        modeladmin.message_user(
            request,
            _("%(action)s: %(count)d %(items)s.")
            % {
                "action": workflow.TRANSITIONS[action].label,
                "count": moved,
                "items": model_ngettext(modeladmin.opts, moved),
            },
            messages.SUCCESS,
        )


def why_hidden(user, item):
    """Return why the row is not among those the user opens in the admin."""
    name = item._meta.verbose_name
    if item.deleted_at is not None:
        return capfirst(
            _("this %(item)s is in the trash: a publisher can restore it there.") % {"item": name}
        )
    if item.created_by_id != user.pk and not workflow.sees_everyones(user, type(item)):
        return capfirst(
            _("this %(item)s is someone else's: contributors open only their own.") % {"item": name}
        )
    return capfirst(_("your role does not let you open this %(item)s.") % {"item": name})


def _admin_name(opts, view):
    return f"admin:{opts.app_label}_{opts.model_name}_{view}"


class WorkflowAdminMixin:
    """The admin of a workflowed model: the workflow decides who sees, changes and moves what.

    The change form's buttons save and move in one step (core.forms.WorkflowForm); bulk
    actions and deletion (which moves to the trash) go through workflow.perform; every
    save made in the admin keeps a revision. List actions are named in `actions`:
    submit_selected, approve_selected, publish_selected, archive_selected, trash_selected.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).live().visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.can_edit(request.user, obj)
        )

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """Refuse with the reason a row that exists but is not the user's to open.

        Where Django's change, delete and history pages would say a row they cannot find
        "may have been deleted". Other addresses (the site link, revisions) keep "not found".
        """
        model = self.model._meta.concrete_model
        try:
            hidden = model._default_manager.get(pk=model._meta.pk.to_python(unquote(object_id)))
        except (model.DoesNotExist, ValidationError, ValueError):
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        raise PermissionDenied(why_hidden(request.user, hidden))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return workflow.is_allowed(request.user, obj, Action.TRASH)

    def has_submit_permission(self, request):
        return request.user.has_perm(workflow.permission(self.model, "submit"))

    def has_review_permission(self, request):
        return request.user.has_perm(workflow.permission(self.model, "review"))

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.permission(self.model, "publish"))

    def view_on_site(self, obj):
        # Only what readers can open: a draft's address would be a "not found" page.
        return obj.get_absolute_url() if obj.is_live else None

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Deleting moves to the trash, through the workflow like every other move.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        stage = obj.stage
        if stage == Stage.SCHEDULED:
            return format_html(
                "{} <small>({})</small>",
                stage.label,
                timezone.localtime(obj.published_at).strftime("%H:%M %d/%m/%Y"),
            )
        return stage.label

    @admin.display(
        description=_("created by"),
        ordering=Concat("created_by__last_name", "created_by__first_name"),
    )
    def author(self, obj):
        return staff_name(obj.created_by, nobody="—")

    # The change form's record of who did what, named as everywhere (core.names).
    @admin.display(description=_("created by"))
    def creator(self, obj):
        return staff_name(obj.created_by, nobody="—")

    @admin.display(description=_("last changed by"))
    def last_editor(self, obj):
        return staff_name(obj.updated_by, nobody="—")

    # --- bulk workflow moves, under the same rules as the buttons ------------------------

    @admin.action(
        description=_("Submit the selected %(verbose_name_plural)s for review"),
        permissions=["submit"],
    )
    def submit_selected(self, request, queryset):
        move_selected(self, request, queryset, Action.SUBMIT)

    @admin.action(
        description=_("Approve the selected %(verbose_name_plural)s"), permissions=["review"]
    )
    def approve_selected(self, request, queryset):
        move_selected(self, request, queryset, Action.APPROVE)

    @admin.action(
        description=_("Publish the selected %(verbose_name_plural)s now"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        move_selected(self, request, queryset, Action.PUBLISH)

    @admin.action(
        description=_("Take down the selected %(verbose_name_plural)s"), permissions=["publish"]
    )
    def archive_selected(self, request, queryset):
        move_selected(self, request, queryset, Action.ARCHIVE)

    @admin.action(
        description=_("Move the selected %(verbose_name_plural)s to the trash"),
        permissions=["delete"],
    )
    def trash_selected(self, request, queryset):
        move_selected(self, request, queryset, Action.TRASH)

    # --- the change form: saving, and saving with a workflow move in one step ------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Saved in the admin"))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        item = obj or context["adminform"].form.instance
        timeline = list(obj.transitions.select_related("user")) if obj else []
        returns = [step for step in timeline if step.action == Action.RETURN]
        context.update(
            workflow_transitions=self.offered_moves(request, item),
            workflow_timeline=timeline,
            last_return=returns[-1] if returns else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def offered_moves(self, request, item):
        """Return the moves the change form offers as buttons."""
        return workflow.allowed_transitions(request.user, item)

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        obj.updated_by = request.user
        action = form.cleaned_data.get("workflow_action")
        if not action:
            super().save_model(request, obj, form, change)
            return
        # The form locked the row, checked the move against it and applied the edit: the
        # edit and the move are one save, one revision, one step.
        workflow.make_move(
            obj,
            action,
            request.user,
            comment=form.cleaned_data.get("workflow_comment", ""),
            at=form.cleaned_data.get("published_at"),
        )

    def construct_change_message(self, request, form, formsets, add=False):
        """Name in the history only the fields whose stored value changed, and the state.

        Django names every field the form reports changed: the body CKEditor rewrote
        without an edit, and the workflow's own hidden fields by their code names.
        """
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        # Django's entry for the form is {"changed": {"fields": …}}; the photo rows' name theirs.
        rows = [entry for entry in message if "name" in next(iter(entry.values()))]
        changed = [name for name in form.changed_data if self.stored_change(form, name)]
        if form.cleaned_data.get("workflow_action"):
            changed.append("status")
        if not changed:
            return rows
        with translation.override(None):
            labels = [str(self.opts.get_field(name).verbose_name) for name in changed]
        return [{"changed": {"fields": labels}}, *rows]

    def stored_change(self, form, name):
        """Return True if the save changed the field's stored value (a model field)."""
        try:
            field = self.opts.get_field(name)
        except FieldDoesNotExist:
            return False
        if not field.concrete or field.many_to_many:
            return field.many_to_many
        return form.initial.get(name) != field.value_from_object(form.instance)

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_workflow(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self.response_workflow(request, obj) or super().response_change(request, obj)

    def response_workflow(self, request, obj):
        """After a save with a workflow move, say what happened and stay on the row."""
        transition = workflow.TRANSITIONS.get(request.POST.get("workflow_action"))
        if transition is None:
            return None
        self.message_user(
            request,
            _("“%(title)s”: %(action)s.") % {"title": obj, "action": transition.label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(_admin_name(self.opts, "change"), args=[obj.pk]))

    # --- deleting moves to the trash -----------------------------------------------------

    def get_deleted_objects(self, objs, request):
        # Only the rows go to the trash, and only those the workflow lets this user move.
        titles = [str(item) for item in objs]
        refused = {
            str(item) for item in objs if not workflow.is_allowed(request.user, item, Action.TRASH)
        }
        return titles, {self.opts.verbose_name_plural: len(titles)}, refused, []

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "trash_days": workflow.TRASH_DAYS}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        workflow.perform(obj, Action.TRASH, request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%(title)s” was moved to the trash; a publisher can restore it for %(days)s days.")
            % {"title": obj_display, "days": workflow.TRASH_DAYS},
        )
        return HttpResponseRedirect(reverse(_admin_name(self.opts, "changelist")))


class RevisionsAdminMixin:
    """A row's history: its revisions, a comparison of two, and a restore that asks first.

    `revisions` is the app's module with compare(old, new) and restore(item, version, user).
    """

    revisions = None

    def viewable_item(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None or not self.has_view_permission(request, item):
            raise Http404
        return item

    def page_context(self, request, item, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "title": title,
            **extra,
        }

    def revisions_view(self, request, object_id):
        item = self.viewable_item(request, object_id)
        context = self.page_context(
            request,
            item,
            _("Revisions of “%s”") % item,
            versions=core_revisions.versions_of(item),
            can_restore=self.has_change_permission(request, item),
        )
        return TemplateResponse(request, "admin/workflow/revisions.html", context)

    def compare_view(self, request, object_id):
        item = self.viewable_item(request, object_id)
        versions = core_revisions.versions_of(item)
        try:
            old = get_object_or_404(versions, pk=int(request.GET.get("old", "")))
            new = get_object_or_404(versions, pk=int(request.GET.get("new", "")))
        except ValueError:
            raise Http404 from None
        if old.pk > new.pk:
            old, new = new, old
        context = self.page_context(
            request,
            item,
            _("Changes in “%s”") % item,
            old=old,
            new=new,
            changes=self.revisions.compare(old, new),
        )
        return TemplateResponse(request, "admin/workflow/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        item = self.viewable_item(request, object_id)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        versions = core_revisions.versions_of(item)
        version = get_object_or_404(versions, pk=version_id)
        if request.method != "POST":
            context = self.page_context(
                request,
                item,
                _("Restore an earlier version of “%s”") % item,
                version=version,
                changes=self.revisions.compare(versions.first(), version),
            )
            return TemplateResponse(request, "admin/workflow/restore.html", context)
        self.revisions.restore(item, version, request.user)
        messages.success(request, _("The earlier version was restored as a new revision."))
        return HttpResponseRedirect(reverse(_admin_name(self.opts, "change"), args=[item.pk]))

    def revision_urls(self):
        """Return the revisions' addresses, to put before the admin's own in get_urls()."""
        opts = self.opts

        def view(function):
            return self.admin_site.admin_view(function)

        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/revisions/", view(self.revisions_view), name=f"{name}_revisions"
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name=f"{name}_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{name}_restore",
            ),
        ]


class TrashAdminMixin:
    """The trash of a workflowed model: a proxy model's list, with restore as its one action.

    Each row links to its read-only page; restoring asks first, saying which rows go back
    on the site at once.
    """

    list_display = ["__str__", "state_when_restored", "author", "deleted_at", "trashed_by"]
    list_display += ["trash_expires_at"]
    list_select_related = ["created_by", "deleted_by"]
    actions = ["restore_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).trashed().visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(workflow.permission(self.model, "view"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return request.user.has_perm(workflow.permission(self.model, "publish"))

    @admin.display(description=_("state when restored"), ordering="status")
    def state_when_restored(self, obj):
        return obj.stage_outside_trash.label

    @admin.display(
        description=_("created by"),
        ordering=Concat("created_by__last_name", "created_by__first_name"),
    )
    def author(self, obj):
        return staff_name(obj.created_by, nobody="—")

    @admin.display(
        description=_("moved to trash by"),
        ordering=Concat("deleted_by__last_name", "deleted_by__first_name"),
    )
    def trashed_by(self, obj):
        return staff_name(obj.deleted_by, nobody="—")

    @admin.display(description=_("deleted for good after"))
    def trash_expires_at(self, obj):
        return obj.trash_expires_at

    @admin.action(
        description=_("Restore the selected %(verbose_name_plural)s"), permissions=["restore"]
    )
    def restore_selected(self, request, queryset):
        if request.POST.get("post") == "yes":
            offline = Action.ARCHIVE if request.POST.get("offline") == "yes" else None
            move_selected(self, request, queryset, Action.RESTORE, then=offline)
            return None
        items = [(item, item.stage_outside_trash) for item in queryset]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Restore from the trash?"),
            "items": items,
            "goes_live": any(stage == Stage.LIVE for _item, stage in items),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/workflow/restore_from_trash.html", context)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """The redirects leaders add, from an old address (the old portal's, say) to a new one."""

    form = RedirectForm
    list_display = ["old_path", "redirect_to", "target", "created_at"]
    search_fields = ["old_path", "redirect_to"]

    @admin.display(description=_("leads to"))
    def target(self, redirect):
        row = redirects.redirect_target(redirect)
        return str(row) if row is not None else "—"


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """The addresses rows had before, recorded by the database: seen and deleted, not edited."""

    list_display = ["old_address", "kind", "current", "recorded_at"]
    search_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("old address"))
    def old_address(self, former):
        return redirects.former_address(former) or former.slug

    @admin.display(description=_("kind"))
    def kind(self, former):
        model = redirects.model_of(former.model)
        return capfirst(model._meta.verbose_name) if model else former.model

    @admin.display(description=_("now"))
    def current(self, former):
        row = redirects.former_row(former)
        return format_html('<a href="{}">{}</a>', row.get_absolute_url(), row) if row else "—"
