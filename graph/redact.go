package graph

import "net/url"

// redact hides the password of a DSN so that errors can be shown and logged.
func redact(path string) string {
	u, err := url.Parse(path)
	if err != nil || u.User == nil {
		return path
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
