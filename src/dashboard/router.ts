/**
 * Hash routes (`#/jobs/<id>`), so the dashboard is a set of static files and a reload keeps the view.
 */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "new" }
  | { name: "jobs" }
  | { name: "job"; id: string }
  | { name: "file"; jobId: string; fileId: string; page: number | null }
  | { name: "search"; q: string };

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "jobs" && parts[1] && parts[2] === "files" && parts[3]) {
    const page = Number(params.get("page"));
    return {
      name: "file",
      jobId: parts[1],
      fileId: parts[3],
      page: Number.isInteger(page) && page > 0 ? page : null,
    };
  }
  if (parts[0] === "jobs" && parts[1]) return { name: "job", id: parts[1] };
  if (parts[0] === "jobs") return { name: "jobs" };
  if (parts[0] === "search") return { name: "search", q: params.get("q") ?? "" };
  return { name: "new" };
}

export const href = {
  new: () => "#/",
  jobs: () => "#/jobs",
  job: (id: string) => `#/jobs/${encodeURIComponent(id)}`,
  file: (jobId: string, fileId: string, page?: number | null) =>
    `#/jobs/${encodeURIComponent(jobId)}/files/${encodeURIComponent(fileId)}${page ? `?page=${page}` : ""}`,
  search: (q: string) => `#/search?${new URLSearchParams({ q }).toString()}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute(location.hash));
    };
    addEventListener("hashchange", update);
    return () => {
      removeEventListener("hashchange", update);
    };
  }, []);
  return route;
}
