from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from .models import LtiDeployment, LtiLaunch, LtiRegistration

class DjangoToolConfig(ToolConfAbstract[Any]):
    registration_uuid: Any
    registration: LtiRegistration | None
    deployment: LtiDeployment | None
    def __init__(self, registration_uuid: Any = None) -> None: ...
    # As in PyLTI1p3's own configurations, these return None when nothing matches (its
    # callers check), though the base class they implement says Registration.
    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration: ...
    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration: ...
    def check_iss_has_one_client(self, iss: str) -> bool: ...
    def check_iss_has_many_clients(self, iss: str) -> bool: ...
    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None: ...
    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None: ...

def sync_data_from_launch(lti_launch: LtiLaunch, lti1p1_secret: str | None = None) -> None: ...
