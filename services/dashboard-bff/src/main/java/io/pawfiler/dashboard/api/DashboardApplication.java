package io.pawfiler.dashboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** REST: the dashboard and the activity feed (the same data as gRPC dashboard.DashboardService), and the rebuild. */
@ApplicationScoped
@ApplicationPath("/")
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(info = @Info(title = "Pawfiler dashboard-bff", version = "1",
        description = "The caller's dashboard (GET /dashboard) and activity feed (GET /dashboard/activities), as JSON "
                + "with the proto field names of dashboard.DashboardService; admins rebuild the read models "
                + "(POST /dashboard/admin/rebuild)."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class DashboardApplication extends Application {
}
