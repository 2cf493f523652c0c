"""Issuing 责令改正通知书 / 卫生监督意见书 from open findings."""
