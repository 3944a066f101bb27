"""Input and output of the submissions API; the output serializers are also the CLI's JSON."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.sandbox.grading.limits import MAX_CODE_BYTES
from apps.sandbox.models import SubmissionStatus


class SubmissionInputSerializer(serializers.Serializer[Any]):
    # The code cap is checked by the service on the UTF-8 bytes, with its own message (the
    # submission is stored as rejected); this bound only stops absurd bodies early.
    code = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=16 * MAX_CODE_BYTES
    )


class CheckOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()
    points = serializers.FloatField()


class GradingErrorOutputSerializer(serializers.Serializer[Any]):
    """Why a submission has no verdict from its checks: its exception, or the grader's."""

    type = serializers.CharField()
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    traceback = serializers.CharField()


class DiagnosisOutputSerializer(serializers.Serializer[Any]):
    """The known mistake a failure matched: what and where, the fix, and its own hints."""

    id = serializers.CharField(help_text="the mistake's stable id, e.g. 'forgot-mean'")
    message = serializers.CharField(help_text="what the mistake is and where")
    fix = serializers.CharField()
    hints = serializers.ListField(
        child=serializers.CharField(), help_text="hints about this mistake, shown on request"
    )


class ResultOutputSerializer(serializers.Serializer[Any]):
    """The result schema shared by the CLI, the API and the pages (a SubmissionResult)."""

    exercise = serializers.CharField()
    status = serializers.ChoiceField(choices=SubmissionStatus.choices)
    score = serializers.FloatField()
    checks = CheckOutputSerializer(many=True)
    figures = serializers.ListField(
        child=serializers.DictField(), help_text="Plotly figures: {data, layout}"
    )
    stdout = serializers.CharField()
    stderr = serializers.CharField()
    error = GradingErrorOutputSerializer(allow_null=True)
    diagnosis = DiagnosisOutputSerializer(
        allow_null=True,
        help_text="the declared mistake the failure matched (lead with it), or null",
    )
    duration_ms = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class SubmissionOutputSerializer(ResultOutputSerializer):
    """A stored submission's result, with its id, the content version and the code."""

    id = serializers.IntegerField()
    content_version = serializers.IntegerField()
    code = serializers.CharField()


# One instance of each, reused: ``Serializer(obj).data`` deep-copies every declared field for
# each object (0.36 ms a graded result, three times what the representation itself costs).
# ``to_representation`` keeps no state between objects.
_RESULT = ResultOutputSerializer()
_SUBMISSION = SubmissionOutputSerializer()


def result_json(result: Any) -> dict[str, Any]:
    """``ResultOutputSerializer(result).data`` (a SubmissionResult), built faster."""
    return dict(_RESULT.to_representation(result))


def submission_json(result: Any) -> dict[str, Any]:
    """``SubmissionOutputSerializer(result).data`` (a stored SubmissionResult), built faster."""
    return dict(_SUBMISSION.to_representation(result))


class SubmissionSummaryOutputSerializer(serializers.Serializer[Any]):
    """One line of a learner's history (no code, checks or figures)."""

    id = serializers.IntegerField()
    exercise = serializers.CharField(source="exercise.slug")
    status = serializers.ChoiceField(choices=SubmissionStatus.choices)
    score = serializers.FloatField()
    duration_ms = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
