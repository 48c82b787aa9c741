from rest_framework.routers import SimpleRouter

from core.api.views import TeamViewSet, WorkerViewSet

router = SimpleRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("workers", WorkerViewSet, basename="worker")

urlpatterns = router.urls
