"""Start-up checks for deployment settings that Django's own checks cannot know about."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_address_header(app_configs, **kwargs):
    """Behind a TLS proxy every request arrives from the proxy: without CLIENT_IP_HEADER the
    referral rate limit and the sign-in lockout would treat all visitors as one address."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.CLIENT_IP_HEADER:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but CLIENT_IP_HEADER is empty, so every visitor "
                "shares the proxy's address for rate limits and the sign-in lockout.",
                hint="Set CLIENT_IP_HEADER to the header your proxy sets to the visitor's "
                "address, e.g. HTTP_X_REAL_IP (see docs/operations.md).",
                id="recovery_directory.W001",
            )
        ]
    return []
