"""The portal's addresses: readable, stable, and naming the committee, the meeting and the §."""

from django.urls import path

from minutes.portal import feeds, pages, search

app_name = "portal"

urlpatterns = [
    path("", pages.start, name="start"),
    path("sok/", search.search_page, name="search"),
    path("atom.xml", feeds.ProtocolFeed(), name="feed"),
    path("person/<int:pk>/", pages.person, name="person"),
    path("parti/<str:abbreviation>/", pages.party, name="party"),
    path("arende/<path:dnr>/", pages.matter, name="matter"),
    path("<slug:committee>/", pages.committee, name="committee"),
    path("<slug:committee>/atom.xml", feeds.ProtocolFeed(), name="committee-feed"),
    path("<slug:committee>/sammantraden.ics", feeds.meetings_calendar, name="committee-calendar"),
    path("<slug:committee>/<int:year>/<int:number>/", pages.meeting, name="meeting"),
    path("<slug:committee>/<int:year>/<int:number>/protokoll.pdf", pages.protocol_pdf, name="protocol-pdf"),
    path("<slug:committee>/<int:year>/<int:number>/anslagsbevis.pdf", pages.certificate_pdf, name="certificate-pdf"),
    path("<slug:committee>/<int:year>/<int:number>/paragraf-<int:item>/", pages.item, name="item"),
    path("<slug:committee>/<int:year>/<int:number>/paragraf-<int:item>/utdrag.pdf", pages.extract, name="extract"),
]
