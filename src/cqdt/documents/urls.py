from django.urls import path

from cqdt.documents import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<str:document_id>", views.verify, name="verify"),
    path("lookup/<str:code>/result/", views.lookup_result_pdf, name="lookup_result_pdf"),
    path("staff/documents/register/", views.register_book, name="register"),
    path("staff/documents/sign-batch/", views.sign_batch, name="sign_batch"),
]
