from django.urls import path

from minutes.views import adjustment, audit, editor, meeting, protocol, secretariat

app_name = "minutes"

urlpatterns = [
    path("", secretariat.committee_list, name="committee-list"),
    path("namnd/<slug:slug>/", secretariat.meeting_list, name="meeting-list"),
    path("sammantrade/<int:pk>/", secretariat.meeting_detail, name="meeting-detail"),
    path("sammantrade/<int:pk>/dagordning/", secretariat.agenda, name="agenda"),
    path("sammantrade/<int:pk>/narvaro/", meeting.attendance, name="attendance"),
    path("sammantrade/<int:pk>/uppgifter/", meeting.meeting_edit, name="meeting-edit"),
    path("sammantrade/<int:pk>/paragraf/<int:number>/", editor.item_edit, name="item-edit"),
    path("sammantrade/<int:pk>/historik/", audit.audit_trail, name="audit-trail"),
    path("sammantrade/<int:pk>/paragraf/<int:number>/historik/", audit.audit_trail, name="item-audit-trail"),
    path("sammantrade/<int:pk>/protokoll.<str:fmt>", protocol.protocol_document, name="protocol-document"),
    path("sammantrade/<int:pk>/utskrift/<int:preview>/", protocol.preview_state, name="preview-state"),
    path(
        "sammantrade/<int:pk>/paragraf/<int:number>.<str:fmt>",
        protocol.protocol_document,
        {"kind": "item"},
        name="item-document",
    ),
    path(
        "sammantrade/<int:pk>/utdrag/<int:number>.<str:fmt>",
        protocol.protocol_document,
        {"kind": "extract"},
        name="extract-document",
    ),
    path("justering/", adjustment.my_adjustments, name="my-adjustments"),
    path("sammantrade/<int:pk>/justering/", adjustment.adjustment_page, name="adjustment"),
    path("sammantrade/<int:pk>/justering/atgard/", adjustment.adjustment_action, name="adjustment-action"),
    path("sammantrade/<int:pk>/arkiv/", adjustment.export_page, name="export"),
    path("sammantrade/<int:pk>/forsegling/", adjustment.sealing, name="sealing"),
    path("sammantrade/<int:pk>/forsegling/igen/", adjustment.sealing_retry, name="sealing-retry"),
    path("sammantrade/<int:pk>/utbyte.json", adjustment.exchange_file, name="exchange-file"),
]
