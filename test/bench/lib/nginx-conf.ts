/**
 * nginx as a pass-through baseline: one worker (the gateway under test gets one
 * core), keep-alive to the upstream, no access log, and the same client-facing
 * prefix as the BFF's proxy route. Every path is under `prefix` (run with
 * `nginx -p <prefix> -c <prefix>/nginx.conf`), so nothing outside it is touched.
 */
export function nginxConf(options: { prefix: string; port: number; upstream: string; routePrefix: string }): string {
  const upstream = options.upstream.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const route = options.routePrefix.replace(/\/+$/, '');
  return `# Written by test/bench for one run; removed with its folder.
worker_processes 1;
daemon off;
master_process on;
pid ${options.prefix}/nginx.pid;
error_log ${options.prefix}/error.log warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  client_body_temp_path ${options.prefix}/client_body;
  proxy_temp_path ${options.prefix}/proxy;
  fastcgi_temp_path ${options.prefix}/fastcgi;
  uwsgi_temp_path ${options.prefix}/uwsgi;
  scgi_temp_path ${options.prefix}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;

  upstream bench_upstream {
    server ${upstream};
    keepalive 128;
    keepalive_requests 1000000;
  }

  server {
    listen 127.0.0.1:${options.port};

    location = /health/ready {
      return 200 'ok';
    }

    location ${route}/ {
      proxy_pass http://bench_upstream/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # What the BFF sends too, so both do the same header work.
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
}
`;
}
