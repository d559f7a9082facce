package io.pawfiler.systemtests;

import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** "A different app": plain MP JWT, configured with nothing but auth-service's JWKS URL and issuer. */
public final class OtherApp {

    private OtherApp() {
    }

    @ApplicationScoped
    @ApplicationPath("/")
    @LoginConfig(authMethod = "MP-JWT")
    public static class JwtApplication extends Application {
    }

    @Path("/whoami")
    @RequestScoped
    public static class WhoAmIResource {

        @Inject
        JsonWebToken jwt;

        @GET
        @RolesAllowed("user")
        @Produces(MediaType.TEXT_PLAIN)
        public String whoAmI() {
            return jwt.getSubject() + " " + new TreeSet<>(jwt.getGroups());
        }

        @GET
        @Path("/admin")
        @RolesAllowed("admin")
        @Produces(MediaType.TEXT_PLAIN)
        public String admin() {
            return "admin " + jwt.getSubject();
        }
    }
}
