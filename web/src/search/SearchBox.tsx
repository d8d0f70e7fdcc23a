// The office's one search box, in the header of every staff page: Enter opens the
// results page for what was typed (customer, address, phone, email, project or job).
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import './search.css';

export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const current = location.pathname === '/search' ? (new URLSearchParams(location.search).get('q') ?? '') : '';
  const [text, setText] = useState(current);
  // Follows the results page's query (back and forward), and empties elsewhere.
  useEffect(() => setText(current), [current]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
  };

  return (
    <form className="searchbox" role="search" aria-label="Everything" onSubmit={submit}>
      <label htmlFor="searchbox-input" className="visually-hidden">
        Search customers, sites and projects
      </label>
      <input
        id="searchbox-input"
        className="searchbox__input"
        type="search"
        name="q"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="Name, address, phone, project…"
        autoComplete="off"
        enterKeyHint="search"
      />
      <button type="submit" className="searchbox__button">
        Search
      </button>
    </form>
  );
}
