package io.relay.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script shipped as a resource of this package, with the SHA-1 that EVALSHA needs. */
public record LuaScript(String name, String source, String sha1) {

  /** Stores a message in its logs and publishes it: see {@code store-message.lua}. */
  public static final LuaScript STORE_MESSAGE = load("store-message.lua");
  /** Moves a device's acked cursor forward only: see {@code ack-cursor.lua}. */
  public static final LuaScript ACK_CURSOR = load("ack-cursor.lua");

  static LuaScript load(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(digest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
