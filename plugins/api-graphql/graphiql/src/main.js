// GraphiQL against this server: queries and mutations POST to /graphql, subscriptions go over
// WebSocket to /graphql/ws (graphql-transport-ws). An API key typed into GraphiQL's Headers
// tab as {"Authorization": "Bearer KEY"} is sent with every request and in connection_init.
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";
import "graphiql/graphiql.css";

const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql/ws`;
let headers = {};
const wsClient = createClient({ url: wsUrl, lazy: true, connectionParams: () => headers });
const http = createGraphiQLFetcher({ url: "/graphql", wsClient });
// Remember the headers of the last request for the WebSocket's connection_init.
const fetcher = (params, opts) => {
  headers = (opts && opts.headers) || {};
  return http(params, opts);
};

createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: "# Ratchet GraphQL: press the run button (or Ctrl-Enter)\n{\n  tasks {\n    items {\n      name\n      version\n    }\n  }\n}\n",
    shouldPersistHeaders: true,
  }),
);
