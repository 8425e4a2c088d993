/** The options page: sites, identities and signaling servers (issue 6). */
const app = document.getElementById('app')
if (app) {
  const h1 = document.createElement('h1')
  h1.textContent = 'Porchlight settings'
  app.append(h1)
}

export {}
