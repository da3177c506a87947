from django.urls import path

from .views import assembly, confirm, detail, importer, issues, items, renditions

app_name = "bulletins"
urlpatterns = [
    path("", issues.issue_index, name="index"),
    path("new/", issues.issue_new, name="new"),
    path("import/", importer.import_upload, name="import"),
    path("import/<str:token>/", importer.import_preview, name="import_preview"),
    path("<int:issue_id>/", detail.issue_detail, name="detail"),
    path("<int:issue_id>/assemble/", assembly.issue_assemble, name="assemble"),
    path("<int:issue_id>/history/", issues.issue_history, name="history"),
    path("<int:issue_id>/diff/", issues.issue_diff, name="diff"),
    path("<int:issue_id>/transition/", confirm.issue_transition_post, name="transition"),
    path("<int:issue_id>/confirm/<slug:action>/", confirm.issue_confirm, name="confirm"),
    path("<int:issue_id>/delivery/", confirm.issue_delivery, name="delivery"),
    path("<int:issue_id>/comments/", detail.comment_add, name="comment"),
    path("<int:issue_id>/masthead/", assembly.issue_update, name="update"),
    path("<int:issue_id>/delete/", assembly.issue_delete, name="delete"),
    path("<int:issue_id>/preview/", assembly.issue_preview, name="preview"),
    path("<int:issue_id>/pdf/", renditions.issue_renditions, name="renditions"),
    path(
        "<int:issue_id>/versions/<int:version_id>/pdf/<slug:kind>/",
        renditions.rendition_pdf,
        name="rendition_pdf",
    ),
    path("<int:issue_id>/versions/<int:version_id>/web/", renditions.version_web, name="web"),
    path(
        "<int:issue_id>/versions/<int:version_id>/media/<path:path>",
        renditions.version_image,
        name="version_image",
    ),
    path("<int:issue_id>/sections/add/", assembly.section_add, name="section_add"),
    path(
        "<int:issue_id>/sections/<int:section_id>/<slug:op>/",
        assembly.section_change,
        name="section_change",
    ),
    path("<int:issue_id>/items/place/", assembly.item_place, name="item_place"),
    path("<int:issue_id>/items/new/", items.item_new, name="item_new"),
    path("<int:issue_id>/items/<int:item_id>/edit/", items.item_edit, name="item_edit"),
    path("<int:issue_id>/items/<int:item_id>/<slug:op>/", assembly.item_change, name="item_change"),
    path("<int:issue_id>/blocks/new/", items.block_new, name="block_new"),
    path("<int:issue_id>/blocks/<int:block_id>/edit/", items.block_edit, name="block_edit"),
    path(
        "<int:issue_id>/blocks/<int:block_id>/<slug:op>/",
        assembly.block_change,
        name="block_change",
    ),
]
