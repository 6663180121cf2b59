package io.relay.push.session;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One timer per event loop that visits every open session once per period (heartbeat, liveness,
 * token expiry), instead of a periodic timer per connection: 10,000 connections then cost 10,000
 * small set entries rather than 10,000 scheduled tasks with their handlers. The sessions are
 * spread over {@value #SLOTS} slots and each firing visits one slot, so the checks (and the pings
 * they send) come in small groups, not all at once. Used only from one event loop.
 */
public final class TickWheel {

  /** Something checked once per period. */
  public interface Ticking {
    void tick(long now);
  }

  static final int SLOTS = 8;

  private final Vertx vertx;
  private final long period;
  private final List<Set<Ticking>> slots = new ArrayList<>(SLOTS);
  private int nextSlot;
  private int dueSlot;
  private long timer = -1;
  private int size;

  /** Visits each member once per {@code periodMillis} (at least {@value #SLOTS} ms). */
  public TickWheel(Vertx vertx, long periodMillis) {
    this.vertx = vertx;
    this.period = Math.max(SLOTS, periodMillis);
    for (int i = 0; i < SLOTS; i++) {
      slots.add(new LinkedHashSet<>());
    }
  }

  /** How often each member is visited, in milliseconds. */
  public long period() {
    return period;
  }

  /** Starts visiting {@code member}; returns its slot, which {@link #remove} needs. */
  public int add(Ticking member) {
    int slot = nextSlot;
    nextSlot = (nextSlot + 1) % SLOTS;
    if (slots.get(slot).add(member)) {
      size++;
    }
    if (timer < 0) {
      timer = vertx.setPeriodic(period / SLOTS, id -> visitNext());
    }
    return slot;
  }

  /** Stops visiting {@code member}; the timer stops with the last one. */
  public void remove(Ticking member, int slot) {
    if (slots.get(slot).remove(member)) {
      size--;
    }
    if (size == 0 && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Members visited now. */
  public int size() {
    return size;
  }

  private void visitNext() {
    Set<Ticking> slot = slots.get(dueSlot);
    dueSlot = (dueSlot + 1) % SLOTS;
    if (slot.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    // A visit may close its session, which removes it from the slot: walk a copy.
    for (Ticking member : slot.toArray(new Ticking[0])) {
      member.tick(now);
    }
  }
}
