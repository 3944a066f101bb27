from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser

from apps.xapi.api.serializers import DeliveryFilter, StatementDeliveryOutput
from apps.xapi.models import StatementDelivery
from apps.xapi.selectors import statement_deliveries


@extend_schema(
    parameters=[DeliveryFilter],
    responses={
        200: StatementDeliveryOutput(many=True),
        403: OpenApiResponse(description="staff only"),
    },
)
class StatementDeliveryListApi(ListAPIView[StatementDelivery]):
    """Staff only: each learning event's delivery to the LRS, newest first."""

    permission_classes = [IsAdminUser]
    serializer_class = StatementDeliveryOutput

    def get_queryset(self) -> QuerySet[StatementDelivery]:
        query = DeliveryFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return statement_deliveries(status=query.validated_data.get("status"))
