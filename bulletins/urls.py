from django.urls import path

from . import confirm_views, import_views, rendition_views, views

app_name = "bulletins"
urlpatterns = [
    path("", views.issue_index, name="index"),
    path("new/", views.issue_new, name="new"),
    path("import/", import_views.import_upload, name="import"),
    path("import/<str:token>/", import_views.import_preview, name="import_preview"),
    path("<int:issue_id>/", views.issue_detail, name="detail"),
    path("<int:issue_id>/assemble/", views.issue_assemble, name="assemble"),
    path("<int:issue_id>/history/", views.issue_history, name="history"),
    path("<int:issue_id>/diff/", views.issue_diff, name="diff"),
    path("<int:issue_id>/transition/", confirm_views.issue_transition, name="transition"),
    path("<int:issue_id>/confirm/<slug:action>/", confirm_views.issue_confirm, name="confirm"),
    path("<int:issue_id>/delivery/", confirm_views.issue_delivery, name="delivery"),
    path("<int:issue_id>/comments/", views.comment_add, name="comment"),
    path("<int:issue_id>/masthead/", views.issue_update, name="update"),
    path("<int:issue_id>/delete/", views.issue_delete, name="delete"),
    path("<int:issue_id>/preview/", views.issue_preview, name="preview"),
    path("<int:issue_id>/versions/<int:version_id>/pdf/", views.version_pdf, name="version_pdf"),
    path("<int:issue_id>/pdf/", rendition_views.issue_renditions, name="renditions"),
    path(
        "<int:issue_id>/versions/<int:version_id>/pdf/<slug:kind>/",
        rendition_views.rendition_pdf,
        name="rendition_pdf",
    ),
    path("<int:issue_id>/versions/<int:version_id>/web/", rendition_views.version_web, name="web"),
    path(
        "<int:issue_id>/versions/<int:version_id>/media/<path:path>",
        rendition_views.version_image,
        name="version_image",
    ),
    path("<int:issue_id>/sections/add/", views.section_add, name="section_add"),
    path(
        "<int:issue_id>/sections/<int:section_id>/<slug:op>/",
        views.section_change,
        name="section_change",
    ),
    path("<int:issue_id>/items/place/", views.item_place, name="item_place"),
    path("<int:issue_id>/items/new/", views.item_new, name="item_new"),
    path("<int:issue_id>/items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("<int:issue_id>/items/<int:item_id>/<slug:op>/", views.item_change, name="item_change"),
    path("<int:issue_id>/blocks/new/", views.block_new, name="block_new"),
    path("<int:issue_id>/blocks/<int:block_id>/edit/", views.block_edit, name="block_edit"),
    path(
        "<int:issue_id>/blocks/<int:block_id>/<slug:op>/", views.block_change, name="block_change"
    ),
]
