"""The portal's addresses: readable, stable, and naming the committee, the meeting and the §."""

from django.urls import path

from minutes.portal import agenda, feeds, pages, search

app_name = "portal"

urlpatterns = [
    path("", pages.start, name="start"),
    path("sok/", search.search_page, name="search"),
    path("atom.xml", feeds.ProtocolFeed(), name="feed"),
    path("person/<id:pk>/", pages.person, name="person"),
    path("parti/<str:abbreviation>/", pages.party, name="party"),
    path("arende/<path:dnr>/", pages.matter, name="matter"),
    path("<committee:committee>/", pages.committee, name="committee"),
    path("<committee:committee>/atom.xml", feeds.ProtocolFeed(), name="committee-feed"),
    path("<committee:committee>/sammantraden.ics", feeds.meetings_calendar, name="committee-calendar"),
    path("<committee:committee>/<year:year>/<number:number>/", pages.meeting, name="meeting"),
    path("<committee:committee>/<year:year>/<number:number>/foredragningslista/", agenda.agenda, name="agenda"),
    path(
        "<committee:committee>/<year:year>/<number:number>/handling-<id:pk>.pdf",
        agenda.agenda_document,
        name="agenda-document",
    ),
    path("<committee:committee>/<year:year>/<number:number>/protokoll.pdf", pages.protocol_pdf, name="protocol-pdf"),
    path(
        "<committee:committee>/<year:year>/<number:number>/anslagsbevis.pdf",
        pages.certificate_pdf,
        name="certificate-pdf",
    ),
    path("<committee:committee>/<year:year>/<number:number>/paragraf-<number:item>/", pages.item, name="item"),
    path(
        "<committee:committee>/<year:year>/<number:number>/paragraf-<number:item>/utdrag.pdf",
        pages.extract,
        name="extract",
    ),
]
