package io.relay.push.channel;

import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.service.ApiError;
import io.relay.service.Identity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code channels} parameter of SSE and long-poll: {@code name[:offset],…}. An item whose text
 * after its last {@code :} is a full offset ({@code <millis>-<n>}, as the server hands them out)
 * is a channel with the offset to resume after; otherwise the whole item is the channel name.
 */
public final class ChannelParams {

  private static final Pattern OFFSET = Pattern.compile("\\d{1,19}-\\d{1,19}");

  private ChannelParams() {
  }

  /**
   * Channel → offset to resume after (null: from now on), in the order given. Throws
   * {@code 400 invalid_field} for a bad name or too many channels, {@code 403 forbidden} for a
   * channel {@code identity} may not subscribe to.
   */
  public static Map<String, Seq> parse(String param, Identity identity, int maxChannels) {
    if (param == null || param.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Seq> channels = new LinkedHashMap<>();
    for (String item : param.split(",", -1)) {
      int colon = item.lastIndexOf(':');
      boolean withOffset = colon > 0 && OFFSET.matcher(item.substring(colon + 1)).matches()
          && Seq.isValid(item.substring(colon + 1));
      String channel = withOffset ? item.substring(0, colon) : item;
      if (!Ids.isValidName(channel)) {
        throw ApiError.invalidField("channels must be names of 1-64 characters of [A-Za-z0-9_.:@-], "
            + "each optionally followed by :<offset>, separated by commas");
      }
      channels.put(channel, withOffset ? Seq.parse(item.substring(colon + 1)) : null);
    }
    if (channels.size() > maxChannels) {
      throw ApiError.invalidField("at most " + maxChannels + " channels per connection");
    }
    for (String channel : channels.keySet()) {
      if (!identity.maySubscribe(channel)) {
        throw ApiError.forbidden("this token may not subscribe to " + channel);
      }
    }
    return channels;
  }
}
