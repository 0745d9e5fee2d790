from django.urls import path

from accounts import views
from accounts.feeds import FollowingFeed

app_name = "accounts"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("tokens/", views.ApiTokenCreateView.as_view(), name="api-token-create"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path("following/", views.FollowingView.as_view(), name="following"),
    path("following/seen/", views.FollowingSeenView.as_view(), name="following-seen"),
    path("follow/<slug:slug>/", views.FollowView.as_view(), name="follow"),
    path("unfollow/<slug:slug>/", views.UnfollowView.as_view(), name="unfollow"),
    path("feed/", views.FeedTokenRotateView.as_view(), name="feed-rotate"),
    path("feed/off/", views.FeedTokenRevokeView.as_view(), name="feed-revoke"),
    path("feed/<str:key>.atom", FollowingFeed(), name="following-feed"),
]
