"""Root URL configuration: every staff screen lives in kouki.web."""

from django.urls import include, path

urlpatterns = [path("", include("kouki.web.urls"))]
