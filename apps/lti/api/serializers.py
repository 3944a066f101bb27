from rest_framework import serializers

from apps.lti.models import GradePassback


class GradePassbackOutput(serializers.ModelSerializer[GradePassback]):
    learner = serializers.CharField(source="user.username")
    link = serializers.CharField(source="target.title")

    class Meta:
        model = GradePassback
        fields = [
            "id",
            "learner",
            "link",
            "score_given",
            "score_maximum",
            "sent_score",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
        ]


class RosterSyncOutput(serializers.Serializer[None]):
    queued = serializers.BooleanField()
