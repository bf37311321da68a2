package dev.troupe.http.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.troupe.actors.identity.IssuedTokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON bodies of the identity routes (snake_case on the wire, as OAuth clients expect). */
final class IdentityJson {

  private IdentityJson() {}

  record LoginRequest(String username, String password, String org, String device) {
    @Override
    public String toString() {
      return "LoginRequest[" + username + "@" + org + "]";
    }
  }

  record RefreshRequest(@JsonProperty("refresh_token") String refreshToken) {
    @Override
    public String toString() {
      return "RefreshRequest[...]";
    }
  }

  record TokenResponse(
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") long expiresIn,
      @JsonProperty("refresh_token") String refreshToken,
      @JsonProperty("session_id") String sessionId) {

    static TokenResponse of(IssuedTokens tokens) {
      return new TokenResponse(
          tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.refreshToken(), tokens.sessionId());
    }
  }

  record SessionView(
      @JsonProperty("session_id") String sessionId,
      String device,
      String ip,
      @JsonProperty("user_agent") String userAgent,
      Instant created,
      @JsonProperty("last_seen") Instant lastSeen,
      @JsonProperty("expires") Instant expires,
      boolean current) {}

  record SessionList(List<SessionView> sessions) {}

  record NewUser(String username, String password, Set<String> roles) {
    @Override
    public String toString() {
      return "NewUser[" + username + "]";
    }
  }

  record NewOrg(String name, @JsonProperty("display_name") String displayName, NewUser admin) {}

  record NewProject(String name) {}

  record OrgView(
      String name,
      @JsonProperty("display_name") String displayName,
      Instant created,
      List<String> projects,
      int users) {}

  record UserView(
      String username,
      String org,
      Instant created,
      boolean disabled,
      Set<String> roles,
      Map<String, Set<String>> projects) {}

  record MemberRoles(Set<String> roles) {}

  record MemberView(String username, String project, Set<String> roles) {}

  record PasswordChange(
      @JsonProperty("current_password") String currentPassword,
      @JsonProperty("new_password") String newPassword) {
    @Override
    public String toString() {
      return "PasswordChange[...]";
    }
  }

  record RotatedKey(String kid) {}
}
