/** The toolbar popup. Grows with identities, grants and lobbies (issue 6). */
const app = document.getElementById('app')
if (app) {
  const { name, version } = chrome.runtime.getManifest()
  app.innerHTML = ''
  const h1 = document.createElement('h1')
  h1.textContent = name
  const p = document.createElement('p')
  p.textContent = `Version ${version}. Sites you allow can show who else is here.`
  app.append(h1, p)
}

export {}
