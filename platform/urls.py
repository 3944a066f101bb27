from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dlmath.health import healthz

api_v1 = [
    path("", include("apps.curriculum.api.urls")),
    path("", include("apps.sandbox.api.urls")),
    path("", include("apps.progress.api.urls")),
    path("", include("apps.lti.api.urls")),
    path("", include("apps.xapi.api.urls")),
]

# A database outage answers 503 (JSON under /api/), any other server error 500: no traces.
handler500 = "dlmath.errors.server_error"
# A request too large to read answers JSON under /api/ too (with the code size limit).
handler400 = "dlmath.errors.bad_request"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up script as a file, so the docs keep the site's CSP.
    # Our own page around Swagger UI (api/docs.html): its language and a way back to the site.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("lti/", include("apps.lti.urls")),
    # set_language: the header's language switcher posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]
