from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("youths", views.YouthViewSet, basename="youth")
router.register("trajectories", views.TrajectoryViewSet, basename="trajectory")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("time-entries", views.TimeEntryViewSet, basename="time-entry")
router.register("outcomes", views.OutcomeViewSet, basename="outcome")
router.register("approaches", views.ApproachViewSet, basename="approach")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
