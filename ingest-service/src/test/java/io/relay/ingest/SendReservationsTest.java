package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.StoredMessage;
import org.junit.jupiter.api.Test;

class SendReservationsTest {

  @Test
  void aPendingReservationGivesBackTheFirstAttemptsMessage() {
    StoredMessage first = new StoredMessage("01ID", "alice", "bob", null, "line one\nline two", 1732300000000L);
    String value = "p\n" + first.id() + "\n" + first.locator() + "\n" + first.toJson();
    SendReservations.Reservation reservation = SendReservations.earlier(value);
    assertThat(reservation.state()).isEqualTo(SendReservations.State.PENDING);
    assertThat(reservation.id()).isEqualTo("01ID");
    assertThat(reservation.json()).isEqualTo(first.toJson());
    assertThat(reservation.locator()).isEqualTo(first.locator());
    assertThat(reservation.ts()).isEqualTo(1732300000000L);
    assertThat(reservation.value()).isEqualTo(value);
  }

  @Test
  void aSettledReservationIsTheMessageId() {
    SendReservations.Reservation reservation = SendReservations.earlier("01ID");
    assertThat(reservation.state()).isEqualTo(SendReservations.State.DONE);
    assertThat(reservation.id()).isEqualTo("01ID");
  }
}
