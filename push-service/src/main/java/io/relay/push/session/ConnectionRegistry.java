package io.relay.push.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sessions this node holds, by user. Knows nothing of transports or Redis; used only from
 * the push verticle's event loop.
 */
public final class ConnectionRegistry {

  private final Map<String, Set<Session>> byUser = new HashMap<>();
  private int count;

  /** Adds a session; returns true when it is the user's first on this node. */
  public boolean add(Session session) {
    Set<Session> sessions = byUser.computeIfAbsent(session.uid(), uid -> new LinkedHashSet<>());
    if (sessions.add(session)) {
      count++;
    }
    return sessions.size() == 1;
  }

  /** Removes a session; returns true when it was the user's last on this node. */
  public boolean remove(Session session) {
    Set<Session> sessions = byUser.get(session.uid());
    if (sessions == null || !sessions.remove(session)) {
      return false;
    }
    count--;
    if (sessions.isEmpty()) {
      byUser.remove(session.uid());
      return true;
    }
    return false;
  }

  public List<Session> sessionsOf(String uid) {
    Set<Session> sessions = byUser.get(uid);
    return sessions == null ? List.of() : List.copyOf(sessions);
  }

  public List<Session> all() {
    List<Session> all = new ArrayList<>(count);
    byUser.values().forEach(all::addAll);
    return all;
  }


  public int size() {
    return count;
  }
}
