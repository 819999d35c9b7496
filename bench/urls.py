"""The app's URLs with the bare view and the formtools peer in front of them."""

from django.urls import path

from bench.peers.views import PeerWizard, bare
from config import urls as app_urls

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/peer/", PeerWizard.as_view(), name="bench_peer"),
    *app_urls.urlpatterns,
]

handler403 = app_urls.handler403
