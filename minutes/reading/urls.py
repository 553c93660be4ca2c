"""The members' reading room, under /las/: its own audience (members and substitutes), so its own namespace."""

from django.urls import path

from minutes.views import reading, second_factor

app_name = "reading"

urlpatterns = [
    path("", reading.reading_home, name="home"),
    path("sw.js", reading.reading_worker, name="worker"),
    path("sammantrade/<id:pk>/", reading.reading_meeting, name="meeting"),
    path("handling/<id:document_pk>.pdf", reading.reading_document, name="document"),
    path("handling/<id:document_pk>/anteckning/", reading.reading_note, name="note"),
    path("kallelse/<str:token>/", reading.notice_open, name="notice-open"),
    path("foredragning/<str:token>/", reading.invitation, name="invitation"),
    path(
        "foredragning/<str:token>/handling/<id:document_pk>.pdf",
        reading.invitation_document,
        name="invitation-document",
    ),
    path("tvastegs/", second_factor.enrol, name="second-factor-enrol"),
    path("tvastegs/kod/", second_factor.verify_code, name="second-factor-verify"),
]
