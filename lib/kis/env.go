package kis

import (
	"fmt"
	"strings"
)

// Environment variables ConfigFromEnv reads.
const (
	EnvAppKey     = "KIS_APP_KEY"
	EnvAppSecret  = "KIS_APP_SECRET"
	EnvAccount    = "KIS_ACCOUNT"     // "12345678-01"
	EnvHTSID      = "KIS_HTS_ID"      // for execution notices
	EnvEnv        = "KIS_ENV"         // "paper" (default) or "real"
	EnvBaseURL    = "KIS_BASE_URL"    // REST override, e.g. a kistest server
	EnvWSURL      = "KIS_WS_URL"      // WebSocket override
	EnvTokenCache = "KIS_TOKEN_CACHE" // token cache file
)

// ConfigFromEnv builds a Config from the environment, read through getenv
// (os.Getenv in cmd; the library never reads the process environment
// itself). KIS_ENV defaults to paper: real money needs saying so. Errors name
// the variable, never its value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	env := Paper
	if v := strings.TrimSpace(getenv(EnvEnv)); v != "" {
		var err error
		if env, err = ParseEnv(v); err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvEnv, err)
		}
	}
	cfg := Config{Env: env, AppKey: Secret(getenv(EnvAppKey)), AppSecret: Secret(getenv(EnvAppSecret)),
		Account: Secret(getenv(EnvAccount)), HTSID: Secret(getenv(EnvHTSID)),
		BaseURL: getenv(EnvBaseURL), WSURL: getenv(EnvWSURL), TokenCache: getenv(EnvTokenCache)}
	for _, req := range []struct {
		name string
		val  Secret
	}{{EnvAppKey, cfg.AppKey}, {EnvAppSecret, cfg.AppSecret}, {EnvAccount, cfg.Account}} {
		if req.val == "" {
			return Config{}, fmt.Errorf("kis config: %s is not set", req.name)
		}
	}
	if _, _, err := splitAccount(string(cfg.Account)); err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvAccount, err)
	}
	return cfg, nil
}
