import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Where the hostile files point: a TCP port (HTTP URLs; it answers each request slowly, like a segment
 * server that stalls) and a UDP port (RTP of an SDP file). It records every connection and datagram:
 * the platform must make none.
 */
export interface HostileListener {
  httpBase: string;
  udpPort: number;
  /** One line per connection or datagram: what reached the listener. */
  hits: string[];
  close: () => Promise<void>;
}

export async function startHostileListener(): Promise<HostileListener> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (data) => hits.push(`tcp: ${data.toString('latin1').split('\r\n')[0]}`));
    hits.push(`tcp connection from ${socket.remoteAddress}:${socket.remotePort}`);
    // A slow segment: headers after 20 s, then nothing; whoever asked waits until its own timeout.
    setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n\r\n'), 20_000).unref();
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const udp = createSocket('udp4');
  udp.on('message', (_msg, from) => hits.push(`udp datagram from ${from.address}:${from.port}`));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return {
    httpBase: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    udpPort: udp.address().port,
    hits,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
