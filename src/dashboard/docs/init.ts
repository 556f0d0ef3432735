/**
 * Starts Swagger UI on the /docs page: the document is this origin's /openapi.json, requests made
 * with "Try it out" go to this origin, and the online validator badge (a request to another site) is
 * off, so the page makes no request anywhere else.
 */
interface SwaggerUIConfig {
  url: string;
  dom_id: string;
  deepLinking: boolean;
  validatorUrl: null;
  persistAuthorization: boolean;
  displayRequestDuration: boolean;
  defaultModelsExpandDepth: number;
  docExpansion: "list" | "full" | "none";
  filter: boolean;
  tryItOutEnabled: boolean;
}

declare global {
  interface Window {
    SwaggerUIBundle?: (config: SwaggerUIConfig) => unknown;
    ui?: unknown;
  }
}

const start = window.SwaggerUIBundle;
if (start) {
  window.ui = start({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: true,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    filter: true,
    tryItOutEnabled: false,
  });
}

export {};
