from django.urls import path

from . import views

app_name = "distribution"
urlpatterns = [
    # The editors' side.
    path("distribution/", views.dispatch_index, name="index"),
    path("distribution/lists/", views.lists_index, name="lists"),
    path("distribution/lists/contacts/", views.contact_add, name="contact_add"),
    path("distribution/lists/organisations/", views.organisation_add, name="organisation_add"),
    path("distribution/lists/import/", views.contacts_import, name="import"),
    path("distribution/lists/imports/<int:import_id>/", views.import_report, name="import_report"),
    path(
        "distribution/lists/imports/<int:import_id>/rejected.csv",
        views.import_rejected_csv,
        name="import_rejected",
    ),
    path(
        "distribution/lists/export.<str:fmt>",
        views.contacts_export,
        name="export",
    ),
    path("distribution/<int:dispatch_id>/", views.dispatch_detail, name="dispatch"),
    path("distribution/<int:dispatch_id>/progress/", views.dispatch_progress, name="progress"),
    path(
        "distribution/<int:dispatch_id>/resend-failed/",
        views.dispatch_resend_failed,
        name="resend_failed",
    ),
    path(
        "distribution/<int:dispatch_id>/deliveries/<int:delivery_id>/resend/",
        views.delivery_resend,
        name="resend",
    ),
    path(
        "distribution/<int:dispatch_id>/deliveries/<int:delivery_id>/revoke/",
        views.delivery_revoke,
        name="revoke",
    ),
    path(
        "distribution/<int:dispatch_id>/deliveries/<int:delivery_id>/reissue/",
        views.delivery_reissue,
        name="reissue",
    ),
    # The recipients' personal links.
    path("download/<str:token>/", views.download_page, name="download"),
    path("download/<str:token>/pdf", views.download_pdf, name="download_pdf"),
    # The archive.
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:issue_id>/", views.archive_issue, name="archive_issue"),
    path("archive/<int:issue_id>/pdf", views.archive_pdf, name="archive_pdf"),
    path("archive/<int:issue_id>/media/<path:path>", views.archive_image, name="archive_image"),
]
