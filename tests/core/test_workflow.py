"""The workflow engine serves every model that declares it: walked model by model."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from core import workflow
from core.admin import TrashAdminMixin, WorkflowAdminMixin
from portal.roles import CONTRIBUTOR, EDITOR, PUBLISHER, ROLE_PERMISSIONS

MODELS = workflow.workflowed_models()


def test_articles_and_documents_go_through_the_workflow():
    assert {model._meta.label for model in MODELS} >= {"news.Article", "documents.Document"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_each_model_declares_what_every_move_needs(model):
    codenames = set(
        Permission.objects.filter(content_type__app_label=model._meta.app_label).values_list(
            "codename", flat=True
        )
    )
    fields = {field.name for field in model._meta.concrete_fields}
    for action, transition in workflow.TRANSITIONS.items():
        assert transition.action == action
        assert transition.sources and transition.sources <= set(workflow.Stage)
        assert workflow.permission(model, transition.permission).split(".")[1] in codenames
        # A move stamps, signs and sets what every model has; it may clear what one lacks.
        assert {*transition.stamp, *transition.sign} <= fields
    assert workflow.check_models() == []


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_each_model_has_the_workflows_admin_and_a_trash(model):
    assert isinstance(admin.site._registry[model], WorkflowAdminMixin)
    trashes = [
        other
        for other, model_admin in admin.site._registry.items()
        if other._meta.proxy
        and other._meta.concrete_model is model
        and isinstance(model_admin, TrashAdminMixin)
    ]
    assert len(trashes) == 1


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_the_roles_hold_each_models_workflow_permissions(model):
    def holds(role, verb):
        return workflow.permission(model, verb) in ROLE_PERMISSIONS[role]

    assert holds(CONTRIBUTOR, "submit") and not holds(CONTRIBUTOR, "review")
    assert holds(EDITOR, "review") and not holds(EDITOR, "publish")
    assert holds(PUBLISHER, "publish") and holds(PUBLISHER, "view_all")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_each_models_moves_are_mailed_from_its_own_templates(model):
    from django.template.loader import get_template

    from core import notifications

    assert workflow.notifier(model) is notifications.after_transition
    assert model in notifications.announced_models()
    assert "announced_at" in {field.name for field in model._meta.concrete_fields}
    for kind in ("submitted", "approved", "returned", "published"):
        for part in ("subject", "body"):
            get_template(f"{model._meta.app_label}/email/{kind}_{part}.txt", using="text")
