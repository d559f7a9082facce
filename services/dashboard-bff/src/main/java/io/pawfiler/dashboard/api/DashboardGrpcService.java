package io.pawfiler.dashboard.api;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.api.dashboard.ActivityFeed;
import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.dashboard.GetActivityFeedRequest;
import io.pawfiler.api.dashboard.GetDashboardRequest;
import io.pawfiler.dashboard.service.Dashboards;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * {@code dashboard.DashboardService}. The user is the token's subject; a {@code user_id} in a request counts only when
 * an admin sends it (anyone else's is the original frontend's hint, ignored).
 */
@Dependent
public class DashboardGrpcService extends DashboardServiceGrpc.DashboardServiceImplBase {

    @Inject
    Dashboards dashboards;

    @Inject
    io.pawfiler.dashboard.service.ActivityFeed feed;

    @Inject
    CallerContext callers;

    @Override
    public void getDashboard(GetDashboardRequest request, StreamObserver<Dashboard> response) {
        Caller caller = callers.require();
        String userId = caller.subjectOrAdminChoice(request.getUserId());
        reply(response, DashboardMapping.dashboard(dashboards.load(userId, request.getRecentAnalysesLimit(),
                callers.bearerToken().orElse(""))));
    }

    @Override
    public void getActivityFeed(GetActivityFeedRequest request, StreamObserver<ActivityFeed> response) {
        Caller caller = callers.require();
        String userId = caller.subjectOrAdminChoice(request.getUserId());
        reply(response, DashboardMapping.feed(feed.page(userId, request.getPageSize(), request.getPageToken())));
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
