package dev.lintel.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Actuator's health groups with Lintel's readiness component added to the {@code readiness} group
 * and its liveness component to the {@code liveness} group, where those groups exist. Everything
 * else about the groups is unchanged.
 */
final class ProbeGroups {
  private ProbeGroups() {}

  static HealthEndpointGroups withLintel(
      HealthEndpointGroups groups, String readiness, String liveness) {
    Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      HealthEndpointGroup group = groups.get(name);
      if (name.equals("readiness")) {
        group = new WithMember(group, readiness);
      } else if (name.equals("liveness")) {
        group = new WithMember(group, liveness);
      }
      named.put(name, group);
    }
    return HealthEndpointGroups.of(groups.getPrimary(), named);
  }

  /** A group that also includes one more component. */
  private record WithMember(HealthEndpointGroup group, String member)
      implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return member.equals(name) || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
