"""The admin holds configuration only, each row scoped to the admin's own organisation (SPEC §8).

``ConfigurationAdmin`` is written once and used by every admin of core, cases and mkba: it filters
the rows (``get_queryset``), the choices of every foreign key and many-to-many field, and the list
filters to the user's organisation, forces that organisation on save, and asks core.access for
every permission (a beheerder has no Django model permissions; the roles decide). An operator's
superuser (``createsuperuser``) configures every organisation. Case contents (youths,
trajectories, periods, time entries, outcomes, follow-ups, handovers) are not registered at all:
they are read and written through the services and selectors, which scope and audit them; the
audit log has its own page for the privacy officer. The installation's own machinery (schedules,
login lock-outs, auth groups) is for the operator only, see ``operator_only_register``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core import access
from core.models import FtePeriod, Organisation, Team, User, Worker
from core.services import case_data_changed


def scoped_choices(
    admin_site: admin.AdminSite, request: HttpRequest, related_model: type[models.Model], queryset: QuerySet[Any]
) -> QuerySet[Any]:
    """The choices a form may offer for a relation: what the related model's own admin shows this
    user. A related model without a configuration admin offers nothing but to an operator, so a
    new relation fails closed."""
    if access.is_operator(request.user):
        return queryset
    related_admin = admin_site._registry.get(related_model)
    if isinstance(related_admin, ConfigurationAdmin):
        return related_admin.scope_queryset(request, queryset)
    return queryset.none()


class ConfigurationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """One organisation's configuration rows, for its beheerder; every organisation's for an operator.

    ``organisation_path`` is the lookup from the model to its organisation (``"organisation"``,
    ``"team__organisation"``; ``"pk"`` for the organisation itself), or None for configuration
    shared by all organisations (a beheerder reads it, an operator changes it).
    ``shared_rows_visible``: rows whose organisation is empty are shared ones (the shipped
    parameter set) and a beheerder reads them too. ``read_only``: nobody adds, changes or deletes
    here (versioned or generated data, written by services only).
    """

    organisation_path: str | None = "organisation"
    shared_rows_visible = False
    read_only = False

    # --- rows -----------------------------------------------------------------------------------

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        user = request.user
        if access.is_operator(user):
            return queryset
        if not access.has(user, access.Capability.CONFIGURE):
            return queryset.none()
        if self.organisation_path is None:
            return queryset
        own = Q(**{self.organisation_path: user.organisation_id})  # type: ignore[union-attr]
        if self.shared_rows_visible:
            own |= Q(**{f"{self.organisation_path}__isnull": True})
        return queryset.filter(own)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope_queryset(request, super().get_queryset(request))

    def organisation_id_of(self, obj: models.Model) -> int | None:
        """The organisation a row belongs to, following ``organisation_path``."""
        if self.organisation_path is None:
            return None
        *hops, last = self.organisation_path.split("__")
        target: Any = obj
        for hop in hops:
            target = getattr(target, hop, None)  # an unset relation raises a subclass of AttributeError
            if target is None:
                return None
        return getattr(target, "pk" if last == "pk" else f"{last}_id", None)

    # --- permissions: core.access decides ---------------------------------------------------------

    def _reaches(self, request: HttpRequest, obj: models.Model | None, *, write: bool) -> bool:
        user = request.user
        if not access.may_configure(user):
            return False
        if access.is_operator(user):
            return True
        if self.organisation_path is None:
            return not write  # shared configuration: the operator changes it
        if obj is None:
            return True  # the list and the add form; get_queryset scopes the rows
        organisation_id = self.organisation_id_of(obj)
        if organisation_id is None:
            return self.shared_rows_visible and not write
        return access.may_configure_organisation(user, organisation_id)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_configure(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._reaches(request, obj, write=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.read_only and self._reaches(request, None, write=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and self._reaches(request, obj, write=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and self._reaches(request, obj, write=True)

    # --- forms and filters --------------------------------------------------------------------------

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = scoped_choices(self.admin_site, request, db_field.remote_field.model, queryset)
        if db_field.name == self.organisation_path and not access.is_operator(request.user):
            # The beheerder's own organisation, shown but not chosen (save_model forces it too).
            kwargs["initial"] = request.user.organisation_id  # type: ignore[union-attr]
            kwargs["disabled"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = scoped_choices(self.admin_site, request, db_field.remote_field.model, queryset)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        """A beheerder filters on their own rows only: no filter by organisation (it would list every
        organisation's name), and relation filters offer only the values of the scoped rows."""
        list_filter = super().get_list_filter(request)
        if access.is_operator(request.user):
            return list_filter
        scoped: list[Any] = []
        for entry in list_filter:
            if not isinstance(entry, str):
                scoped.append(entry)
                continue
            try:
                field = get_fields_from_path(self.model, entry)[-1]
            except FieldDoesNotExist:
                scoped.append(entry)
                continue
            if not field.is_relation:
                scoped.append(entry)
            elif field.related_model is not Organisation:
                scoped.append((entry, RelatedOnlyFieldListFilter))
        return scoped

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self.organisation_path == "organisation" and not access.is_operator(request.user):
            obj.organisation_id = request.user.organisation_id  # type: ignore[union-attr]
        if not self._reaches(request, obj, write=True):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # Configuration (norms, teams, workers and their fte, approaches) weighs in the caseload figures:
    # a change here makes those cached for the organisation stale, as a change of case data does. A
    # beheerder changes only their own organisation's; an operator may change any (a worker moved
    # between organisations touches two), so their change moves every organisation's version.
    def _configuration_changed(self, request: HttpRequest) -> None:
        operator = access.is_operator(request.user)
        case_data_changed(organisation_id=None if operator else getattr(request.user, "organisation_id", None))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self._configuration_changed(request)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self._configuration_changed(request)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        self._configuration_changed(request)


class ConfigurationInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows edited on their parent's page: the parent's admin has already scoped the parent."""

    extra = 0

    def _may(self, request: HttpRequest) -> bool:
        return access.may_configure(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "queryset" not in kwargs:
            queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = scoped_choices(self.admin_site, request, db_field.remote_field.model, queryset)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- core's configuration -------------------------------------------------------------------------


@admin.register(Organisation)
class OrganisationAdmin(ConfigurationAdmin):
    """A beheerder sees and configures their own organisation (norms, thresholds, privacy settings);
    only an operator adds or removes organisations."""

    organisation_path = "pk"
    list_display = ["name", "kind", "productive_hours_per_fte", "hourly_rate"]
    search_fields = ["name"]
    fieldsets = (
        (None, {"fields": ("name", "kind")}),
        (_("Capaciteit en tarief"), {"fields": ("productive_hours_per_fte", "contract_hours_per_fte", "hourly_rate")}),
        (
            _("Normen (uur per jongere per jaar)"),
            {"fields": ("norm_coaching_hours", "norm_uitvoering_hours", "norm_regie_hours", "norm_monitoring_hours")},
        ),
        (_("Complexiteitsfactoren"), {"fields": ("factor_licht", "factor_meervoudig", "factor_complex")}),
        (
            _("Drempels voor signalen"),
            {"fields": ("overload_threshold", "underload_threshold", "overhead_threshold", "long_in_role_factor")},
        ),
        (
            _("Privacy"),
            {
                "fields": (
                    "workers_see_team_youths",
                    "workers_enter_costs",
                    "retention_months",
                    "audit_retention_months",
                )
            },
        ),
        (_("Duurzaamheid"), {"fields": ("follow_up_months",)}),
        (
            _("Verantwoording (ESF en VCV)"),
            {
                "fields": (
                    "result_target_work",
                    "result_target_work_or_school",
                    "annual_cost_per_fte",
                    "vcv_max_age",
                    "vcv_funding_source",
                ),
                "description": _(
                    "Welke doelgroepen meetellen voor de VCV, stelt u in bij de doelgroepen "
                    "(geen aangevinkt: alle doelgroepen)."
                ),
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user)


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    filter_horizontal = ["leads"]
    search_fields = ["name"]


class FtePeriodInline(ConfigurationInline):
    model = FtePeriod


@admin.register(Worker)
class WorkerAdmin(ConfigurationAdmin):
    organisation_path = "team__organisation"
    list_display = ["name", "external_id", "team", "function", "is_active"]
    list_filter = ["team__organisation", "team", "function", "is_active"]
    list_select_related = ["team"]
    search_fields = ["name", "external_id"]
    inlines = [FtePeriodInline]


@admin.register(User)
class UserAdmin(ConfigurationAdmin, DjangoUserAdmin):  # type: ignore[misc]
    """A beheerder manages the accounts of their own organisation: names, role, active, password.
    Superuser, staff, groups and permissions are the operator's: a beheerder never sees those fields,
    never reaches a superuser's account (whose password they could otherwise set), and the staff
    flag follows the role's capability to configure."""

    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    list_select_related = ["organisation"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Caseload"), {"fields": ("role", "organisation")}))  # type: ignore[misc]
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Caseload"), {"fields": ("role", "organisation")}))  # type: ignore[misc]
    beheerder_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")}),
        (_("Caseload"), {"fields": ("role", "organisation", "is_active")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().scope_queryset(request, queryset)
        if not access.is_operator(request.user):
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or access.is_operator(request.user):
            return super().get_fieldsets(request, obj)
        return self.beheerder_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if access.is_operator(request.user):
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not access.is_operator(request.user):
            if obj.is_superuser:
                raise PermissionDenied
            obj.organisation_id = request.user.organisation_id  # type: ignore[union-attr]
            obj.is_staff = access.has(obj, access.Capability.CONFIGURE)
        super().save_model(request, obj, form, change)


# --- the installation's machinery: the operator's only ----------------------------------------------

# Apps whose admins are the operator's: auth groups (a beheerder must not hand out Django
# permissions), django-axes' lock-outs and access logs (usernames and IP addresses of every
# organisation), and django-celery-beat's schedules. The schedules are the installation's, not an
# organisation's: one schedule makes every organisation's reports and runs the retention job for
# all of them, and a schedule can start any task with any arguments, so a beheerder changing one
# would reach other organisations' data.
OPERATOR_ONLY_APPS = ("auth", "axes", "django_celery_beat")


class OperatorOnlyAdminMixin:
    """Wraps a third-party admin: only an operator (``createsuperuser``) opens it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_operator(request.user) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.is_operator(request.user) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user) and super().has_delete_permission(request, obj)  # type: ignore[misc]


def operator_only_register(site: admin.AdminSite, app_labels: tuple[str, ...]) -> None:
    """Re-register the admins of these apps behind ``OperatorOnlyAdminMixin``. Those apps come before
    ``core`` in INSTALLED_APPS, so their admin modules (autodiscovered in that order) are loaded."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label not in app_labels or isinstance(model_admin, OperatorOnlyAdminMixin):
            continue
        wrapped = type(f"OperatorOnly{type(model_admin).__name__}", (OperatorOnlyAdminMixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, wrapped)


operator_only_register(admin.site, OPERATOR_ONLY_APPS)
