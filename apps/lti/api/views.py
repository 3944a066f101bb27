"""Instructors' view of the LMS link: grades sent back (and why one failed), the roster."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.lti import selectors
from apps.lti.api.serializers import GradePassbackOutput, RosterSyncOutput
from apps.lti.models import GradePassback
from apps.lti.services.passbacks import grade_passback_resend
from apps.lti.tasks import roster_sync_task
from apps.progress.auth import authenticated_user
from apps.progress.selectors import cohort_for_instructor


class CohortGradePassbacksApi(ListAPIView[GradePassback]):
    """Each learner's score on each LMS link of the cohort's course, and whether the LMS has
    it: ``sent``, ``pending``, or ``failed`` with the LMS's reason and the next retry."""

    serializer_class = GradePassbackOutput

    def get_queryset(self) -> QuerySet[GradePassback]:
        instructor = authenticated_user(self.request)
        cohort = cohort_for_instructor(instructor=instructor, cohort_id=self.kwargs["cohort_id"])
        if cohort is None:
            raise Http404
        return selectors.grade_passbacks_for_cohort(instructor=instructor, cohort=cohort)


class GradePassbackRetryApi(APIView):
    """Send one learner's score to the LMS again now (202; the result shows in the list)."""

    @extend_schema(
        request=None, responses={202: GradePassbackOutput, 404: OpenApiResponse(description="")}
    )
    def post(self, request: Request, passback_id: int) -> Response:
        instructor = authenticated_user(request)
        passback = (
            selectors.grade_passbacks_of_instructor(instructor=instructor)
            .filter(pk=passback_id)
            .first()
        )
        if passback is None:
            raise Http404
        grade_passback_resend(passback=passback)
        passback.refresh_from_db()
        return Response(GradePassbackOutput(passback).data, status=status.HTTP_202_ACCEPTED)


class CohortRosterSyncApi(APIView):
    """Fill the cohort from the LMS roster now (Names and Role Provisioning Services)."""

    @extend_schema(
        request=None, responses={202: RosterSyncOutput, 404: OpenApiResponse(description="")}
    )
    def post(self, request: Request, cohort_id: int) -> Response:
        context = selectors.lti_context_for_cohort(
            instructor=authenticated_user(request), cohort_id=cohort_id
        )
        if context is None or not context.memberships_url:
            raise Http404
        roster_sync_task.apply_async(args=(context.pk,), retry=False)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
