"""Column names of the block classifier's feature rows (no numba: importing these is free).

`kernels.block_rows` writes `BLOCK_COLUMNS` in this order, `kernels.context_rows`
appends `CONTEXT_COLUMNS`; a model file records both and is refused when they differ.
"""

from __future__ import annotations

# One column per page type the model scores (`pagetype.types.PAGE_TYPES` without "other").
TYPE_COLUMNS: tuple[str, ...] = (
    "type_article", "type_forum", "type_product", "type_collection", "type_listing",
    "type_documentation", "type_service",
)

BLOCK_COLUMNS: tuple[str, ...] = (
    "log_chars", "log_words", "link_density", "digit_rate", "upper_rate", "comma_rate",
    "sentence_rate", "terminal", "currency", "separator_rate", "word_length", "kind",
    "list_depth", "tag_container", "tag_group", "rel_index", "rel_chars_before", "dist_long",
    "before_first_long", "after_last_long", "depth", "depth_below_root", "token_max_container",
    "token_min_container", "token_max_group", "token_min_group", "token_max_path",
    "token_min_path", "path_negative", "path_positive", "path_marker", "path_unlikely",
    "path_comment", "path_article",
    "g0_log_chars", "g0_link", "g0_log_blocks", "g1_log_chars", "g1_link", "g1_log_blocks",
    "g2_log_chars", "g2_link", "g2_log_blocks", "g3_log_chars", "g3_link", "g3_log_blocks",
    "g2_share", "sig_log_count", "sig_share", "rule_kept", "rule_reason", "rung", "in_region",
    "region_score", "prev_kept", "next_kept", "window_kept", "page_kept_share",
    "prev_log_chars", "next_log_chars", "prev_link", "next_link", "prev_kind", "next_kind",
    "page_log_blocks", "page_log_chars", "page_link", "page_li_share", "same_group_prev",
    # the page's structure: where the first <h1> is, how much of the page is code, tables,
    # headings; the run of same-signature blocks around the block (listing items, posts)
    "h1_dist", "page_pre_share", "page_table_share", "page_heading_share", "sig_run",
    # what the rules kept of the block's region (group's parent, 3 levels up) and signature
    "g1_rule_kept", "g3_rule_kept", "sig_rule_kept",
    # the predicted page type (`copydesk.pagetype`): probabilities, in PAGE_TYPES order
    *TYPE_COLUMNS,
)
CONTEXT_COLUMNS: tuple[str, ...] = (
    "logit", "prev_logit", "next_logit", "window2_logit", "window5_logit", "group_logit",
    "sig_logit", "page_mean_logit", "page_max_logit", "page_kept_share_s1", "rank_in_page",
)
