"""The OParl API's addresses, under /oparl/v1/: the shapes `addresses.Links` builds, and a JSON 404 for the rest."""

from django.urls import path, re_path

from minutes.oparl import views

app_name = "oparl"

urlpatterns = [
    path("", views.root, name="root"),
    path("system", views.system, name="system"),
    path("documentation", views.documentation, name="documentation"),
    path("extension.schema.json", views.extension_schema, name="extension-schema"),
    path("bodies", views.body_list, name="body-list"),
    path("body/<str:body>", views.body, name="body"),
    path("body/<str:body>/paper/<path:dnr>", views.paper, name="paper"),
    path("body/<str:body>/<str:name>", views.object_list, name="list"),
    path("body/<str:body>/<str:kind>/<str:key>", views.object_detail, name="object"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
