package dev.execflow.examples.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Strict percent-decoding (URLDecoder accepts too much and turns '+' into ' ' in paths). */
final class PercentDecoding {
  private PercentDecoding() {}

  /** A path segment: '+' stays '+'. Null when malformed or not UTF-8. */
  static String decode(String s) {
    return decode(s, false);
  }

  /** A form value: '+' is a space. Null when malformed. */
  static String decodeForm(String s) {
    return decode(s, true);
  }

  private static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0) {
      return plusIsSpace ? s.replace('+', ' ') : s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp) - 1;
      }
    }
    byte[] bytes = out.toByteArray();
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
