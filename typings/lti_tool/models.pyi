from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.registration import Registration

class KeyQuerySet(models.QuerySet[Key]):
    def active(self) -> Self: ...
    def as_jwks(self) -> dict[str, list[dict[str, Any]]]: ...

class KeyManager(models.Manager[Key]):
    def active(self) -> KeyQuerySet: ...
    def as_jwks(self) -> dict[str, list[dict[str, Any]]]: ...
    def generate(self) -> Key: ...

class Key(models.Model):
    public_key = models.TextField()
    private_key = models.TextField()
    is_active = models.BooleanField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()
    objects: ClassVar[KeyManager]
    def as_jwk(self) -> dict[str, Any]: ...

class LtiRegistrationQuerySet(models.QuerySet[LtiRegistration]):
    def active(self) -> Self: ...

class LtiRegistrationManager(models.Manager[LtiRegistration]):
    def active(self) -> LtiRegistrationQuerySet: ...

class LtiRegistration(models.Model):
    name = models.CharField()
    uuid = models.UUIDField()
    issuer = models.CharField()
    client_id = models.CharField()
    audience = models.CharField()
    auth_url = models.URLField()
    token_url = models.URLField()
    keyset_url = models.URLField()
    is_active = models.BooleanField()
    public_key = models.TextField()
    private_key = models.TextField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()
    objects: ClassVar[LtiRegistrationManager]
    @property
    def has_key(self) -> bool: ...
    def to_registration(self) -> Registration: ...

class LtiPlatformInstance(models.Model):
    issuer = models.CharField()
    guid = models.CharField()
    contact_email = models.EmailField()
    description = models.TextField()
    name = models.CharField()
    url = models.URLField()
    product_family_code = models.CharField()
    version = models.CharField()

class LtiDeploymentQuerySet(models.QuerySet[LtiDeployment]):
    def active(self) -> Self: ...

class LtiDeploymentManager(models.Manager[LtiDeployment]):
    def active(self) -> LtiDeploymentQuerySet: ...

class LtiDeployment(models.Model):
    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE)
    deployment_id = models.CharField()
    is_active = models.BooleanField()
    platform_instance = models.ForeignKey(
        LtiPlatformInstance, on_delete=models.SET_NULL, null=True, blank=True
    )
    pns_url = models.URLField()
    supports_context_copy_notice = models.BooleanField()
    supports_asset_processor_submission_notice = models.BooleanField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()
    objects: ClassVar[LtiDeploymentManager]

class LtiUser(models.Model):
    registration = models.ForeignKey(LtiRegistration, on_delete=models.CASCADE)
    sub = models.CharField()
    lti1p1_id_on_platform = models.CharField()
    given_name = models.CharField()
    family_name = models.CharField()
    name = models.CharField()
    email = models.EmailField()
    picture_url = models.URLField()
    auth_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()

class LtiContext(models.Model):
    deployment = models.ForeignKey(LtiDeployment, on_delete=models.CASCADE)
    id_on_platform = models.CharField()
    lti1p1_id_on_platform = models.CharField()
    label = models.CharField()
    title = models.CharField()
    is_course_template = models.BooleanField()
    is_course_offering = models.BooleanField()
    is_course_section = models.BooleanField()
    is_group = models.BooleanField()
    memberships_url = models.URLField()
    lineitems_url = models.URLField()
    can_query_lineitems = models.BooleanField()
    can_manage_lineitems = models.BooleanField()
    can_publish_scores = models.BooleanField()
    can_access_results = models.BooleanField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()
    def update_memberships(self, member_data: Sequence[Mapping[str, Any]]) -> None: ...

class LtiMembership(models.Model):
    user = models.ForeignKey(LtiUser, on_delete=models.CASCADE)
    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE)
    is_administrator = models.BooleanField()
    is_content_developer = models.BooleanField()
    is_instructor = models.BooleanField()
    is_learner = models.BooleanField()
    is_mentor = models.BooleanField()
    is_active = models.BooleanField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()

class LtiResourceLink(models.Model):
    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE)
    id_on_platform = models.CharField()
    lti1p1_id_on_platform = models.CharField()
    title = models.CharField()
    description = models.TextField()
    datetime_created = models.DateTimeField()
    datetime_modified = models.DateTimeField()

class LtiLineItem(models.Model):
    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE)
    url = models.URLField()
    maximum_score = models.FloatField()
    label = models.CharField()
    tag = models.CharField()
    resource_id = models.CharField()
    resource_link = models.ForeignKey(LtiResourceLink, on_delete=models.SET_NULL, null=True)
    start_datetime = models.DateTimeField(null=True)
    end_datetime = models.DateTimeField(null=True)

class LtiLaunch:
    """A launch as django-lti wraps PyLTI1p3's message launch.

    Claims are JSON from the platform's id_token: ``Any`` until the caller checks them.
    The related records exist once ``sync_data_from_launch`` has run.
    """

    def __init__(self, message_launch: MessageLaunch[Any, Any, Any, Any]) -> None: ...
    def get_launch_id(self) -> str: ...
    def get_message_launch(self) -> MessageLaunch[Any, Any, Any, Any]: ...
    def get_launch_data(self) -> dict[str, Any]: ...
    def get_claim(self, claim: str) -> Any: ...
    @property
    def is_resource_launch(self) -> bool: ...
    @property
    def is_deep_link_launch(self) -> bool: ...
    @property
    def is_submission_review_launch(self) -> bool: ...
    @property
    def is_data_privacy_launch(self) -> bool: ...
    @property
    def registration(self) -> LtiRegistration: ...
    @property
    def deployment(self) -> LtiDeployment: ...
    @property
    def user(self) -> LtiUser: ...
    @property
    def context(self) -> LtiContext: ...
    @property
    def membership(self) -> LtiMembership: ...
    @property
    def resource_link(self) -> LtiResourceLink: ...
    @property
    def platform_instance(self) -> LtiPlatformInstance | None: ...
    @property
    def nrps_claim(self) -> dict[str, Any] | None: ...
    @property
    def ags_claim(self) -> dict[str, Any] | None: ...
    @property
    def context_claim(self) -> dict[str, Any] | None: ...
    @property
    def roles_claim(self) -> list[str] | None: ...
    @property
    def resource_link_claim(self) -> dict[str, Any] | None: ...
    @property
    def platform_instance_claim(self) -> dict[str, Any] | None: ...
    @property
    def launch_presentation_claim(self) -> dict[str, Any] | None: ...
