package dev.execflow.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes on a socket, for what an HTTP client library will not send: malformed request lines,
 * oversized headers, half requests, a TLS handshake on the plain port. Loopback only; every read
 * has a timeout.
 */
final class RawHttp {
  /**
   * The first bytes of a TLS 1.2 ClientHello record (content type 22, version 3.1, a handshake of
   * type 1): what a client speaking HTTPS to the plain port sends first.
   */
  static final byte[] TLS_CLIENT_HELLO = tlsHello();

  private RawHttp() {}

  /** A parsed answer and how long it took from connecting to the end of the answer. */
  record Answer(int status, Map<String, String> headers, String body, long millis) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  static Answer exchange(FlowServer server, String request) throws IOException {
    return exchange(server, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code request}, reads one answer (by Content-Length, else to the end of the stream). */
  static Answer exchange(FlowServer server, byte[] request) throws IOException {
    long start = System.nanoTime();
    try (Socket socket = connect(server)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      Answer a = read(socket.getInputStream());
      return new Answer(a.status(), a.headers(), a.body(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  static Socket connect(FlowServer server) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
    return socket;
  }

  /** Reads one HTTP answer; status -1 when the server closed the connection without one. */
  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/")) {
      return new Answer(-1, Map.of(), text, 0);
    }
    String[] lines = text.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), 0);
  }

  /**
   * Whether the server closed {@code socket} within {@code millis}: reads (and discards) until the
   * end of the stream, a reset, or the time is up.
   */
  static boolean closedWithin(Socket socket, long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    byte[] buf = new byte[4096];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (socket.getInputStream().read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }
  }

  private static byte[] tlsHello() {
    byte[] random = new byte[32];
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(0x03);
    hello.write(0x03); // client version TLS 1.2
    hello.writeBytes(random);
    hello.write(0); // no session id
    hello.writeBytes(new byte[] {0, 2, 0x13, 0x01}); // one cipher suite
    hello.writeBytes(new byte[] {1, 0}); // null compression
    hello.writeBytes(new byte[] {0, 0}); // no extensions
    byte[] body = hello.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(new byte[] {0x16, 0x03, 0x01});
    int handshakeLength = body.length + 4;
    record.write(handshakeLength >> 8);
    record.write(handshakeLength & 0xFF);
    record.write(0x01); // ClientHello
    record.write(0);
    record.write(body.length >> 8);
    record.write(body.length & 0xFF);
    record.writeBytes(body);
    return record.toByteArray();
  }
}
