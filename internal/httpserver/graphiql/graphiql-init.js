// Starts GraphiQL against this server's /graphql. Sign in by adding a header in the Headers tab:
// {"Authorization": "Bearer <token from `make token ROLE=member`>"}.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, isHeadersEditorEnabled: true }));
})();
