from rest_framework import serializers

from apps.xapi.models import DeliveryStatus, StatementDelivery


class StatementDeliveryOutput(serializers.ModelSerializer[StatementDelivery]):
    event_kind = serializers.CharField(source="event.kind")
    learner_id = serializers.IntegerField(source="event.user_id")

    class Meta:
        model = StatementDelivery
        fields = [
            "id",
            "statement_id",
            "event_kind",
            "learner_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
        ]


class DeliveryFilter(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
