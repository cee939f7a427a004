"""The policies services, split by what they do; this module re-exports them under the old names.

Import from the new modules in new code: catalog, recommendations, audience, delivery, wording, and
portal.inbox (the kernel's inbox).
"""

from portal.inbox import (  # noqa: F401
    inbox,
    mark_all_read,
    open_notification,
    set_muted_categories,
    unread_count,
)
from portal.policies.audience import (  # noqa: F401
    _LOAD_BATCH,
    _PUSHED_DOWN,
    _TEXT_FIELDS,
    DELIVERY_BATCH,
    Sandbox,
    _audience_rows,
    _candidate_rows,
    _cents,
    _counts,
    _fresh_population,
    _load,
    _money,
    _muted_rows,
    _Population,
    _population,
    _population_cache,
    _PopulationCache,
    _refreshed,
    _street_label,
    _support_cents,
    _vocab_mask,
    reset_population,
    sandbox,
)
from portal.policies.catalog import (  # noqa: F401
    _WORD,
    MAX_BUDGET,
    REGIONS,
    SUPPORT_KINDS,
    CatalogPage,
    _budget,
    _day,
    _dict_lock,
    _dict_ready,
    _jieba,
    _revise,
    _set_content,
    _text,
    case_outcomes,
    expire,
    import_policies,
    index_terms,
    normalize_content,
    normalize_targets,
    parse_policy_row,
    publish,
    query_tokens,
    save_policy,
    search_policies,
)
from portal.policies.delivery import (  # noqa: F401
    APPROVED_STATUSES,
    _application_counts,
    _insert_ignoring_duplicates,
    _message,
    dedupe_key,
    deliver,
    funnel,
    latest_job,
    queue_delivery,
)
from portal.policies.recommendations import (  # noqa: F401
    Card,
    Recommendations,
    _cache,
    _fingerprint,
    _fold,
    _index_changed,
    _index_record,
    _IndexCache,
    _needs_data,
    explain,
    policy_index,
    propose,
    recommend_for,
    reset_index,
)
from portal.policies.wording import (  # noqa: F401
    _OP_WORDS,
    _value_words,
    condition_sentence,
)
from portal.services import ImportReport, ServiceError  # noqa: F401
